/* ical_roundtrip: checks iCalendar files with libical, as specs/ical.md
 * asks: parse, icalrestriction_check, no parse errors (X-LIC-ERROR), then
 * serialise, parse again and compare both trees event by event (UID,
 * DTSTAMP, DTSTART, DTEND, SEQUENCE, STATUS, SUMMARY, LOCATION,
 * DESCRIPTION). Prints "ok FILE: N events" or the first fault; exits 0
 * only if every file passes. Usage: ical_roundtrip FILE... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0, got;
	char *s = malloc(cap + 1);
	while (s && (got = fread(s + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *t = realloc(s, (cap *= 2) + 1);
			if (!t) {
				free(s);
				s = NULL;
			}
			s = t;
		}
	}
	fclose(f);
	if (s)
		s[n] = '\0';
	return s;
}

static const icalproperty_kind compared[] = {
    ICAL_UID_PROPERTY,     ICAL_DTSTAMP_PROPERTY,  ICAL_DTSTART_PROPERTY,
    ICAL_DTEND_PROPERTY,   ICAL_SEQUENCE_PROPERTY, ICAL_STATUS_PROPERTY,
    ICAL_SUMMARY_PROPERTY, ICAL_LOCATION_PROPERTY, ICAL_DESCRIPTION_PROPERTY,
};

/* The value of the first property of kind k in c as a new string, or
 * NULL if there is none. */
static char *value_of(icalcomponent *c, icalproperty_kind k)
{
	icalproperty *p = icalcomponent_get_first_property(c, k);
	return p ? icalproperty_get_value_as_string_r(p) : NULL;
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int check(const char *path)
{
	char *text = slurp(path);
	if (!text) {
		printf("FAIL %s: cannot read\n", path);
		return 1;
	}
	int rc = 1, events = 0;
	char *again = NULL;
	icalcomponent *a = icalparser_parse_string(text), *b = NULL;
	if (!a || icalcomponent_isa(a) != ICAL_VCALENDAR_COMPONENT) {
		printf("FAIL %s: not a VCALENDAR\n", path);
		goto out;
	}
	if (!icalrestriction_check(a) || icalcomponent_count_errors(a) > 0) {
		icalproperty *e = icalcomponent_get_first_property(a, ICAL_XLICERROR_PROPERTY);
		printf("FAIL %s: libical restriction check: %s\n", path,
		       e ? icalproperty_get_xlicerror(e) : "(errors in a sub-component)");
		goto out;
	}
	again = icalcomponent_as_ical_string_r(a);
	b = again ? icalparser_parse_string(again) : NULL;
	if (!b) {
		printf("FAIL %s: the serialised calendar does not parse again\n", path);
		goto out;
	}
	icalcomponent *ea = icalcomponent_get_first_component(a, ICAL_VEVENT_COMPONENT);
	icalcomponent *eb = icalcomponent_get_first_component(b, ICAL_VEVENT_COMPONENT);
	for (; ea || eb; events++) {
		if (!ea || !eb) {
			printf("FAIL %s: event count differs after the round trip\n", path);
			goto out;
		}
		for (size_t i = 0; i < sizeof compared / sizeof compared[0]; i++) {
			char *va = value_of(ea, compared[i]), *vb = value_of(eb, compared[i]);
			int ok = same(va, vb);
			if (!ok)
				printf("FAIL %s: event %d: %s differs after the round trip\n", path,
				       events + 1, icalproperty_kind_to_string(compared[i]));
			free(va);
			free(vb);
			if (!ok)
				goto out;
		}
		ea = icalcomponent_get_next_component(a, ICAL_VEVENT_COMPONENT);
		eb = icalcomponent_get_next_component(b, ICAL_VEVENT_COMPONENT);
	}
	printf("ok %s: %d events\n", path, events);
	rc = 0;
out:
	if (a)
		icalcomponent_free(a);
	if (b)
		icalcomponent_free(b);
	free(again);
	free(text);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: ical_roundtrip FILE...\n");
		return 2;
	}
	int rc = 0;
	for (int i = 1; i < argc; i++)
		rc |= check(argv[i]);
	return rc;
}

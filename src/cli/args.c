#include "cli/args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(const char *cmd, const char *synopsis, const struct flag *flags)
{
	printf("usage: consent %s\n\n%s\n", cmd, synopsis);
	int any = 0;
	for (const struct flag *f = flags; f->name; f++) {
		if (!any)
			printf("\noptions:\n");
		any = 1;
		char left[64];
		snprintf(left, sizeof left, "--%s%s", f->name, f->takes_value ? " VALUE" : "");
		printf("  %-22s %s%s%s%s\n", left, f->help, f->env ? " (env " : "",
		       f->env ? f->env : "", f->env ? ")" : "");
	}
	printf("  %-22s %s\n", "--help", "show this help");
}

static int parse(const char *cmd, const char *synopsis, int argc, char **argv, struct flag *flags,
                 const char **pos, int maxpos, int *npos)
{
	if (npos)
		*npos = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(cmd, synopsis, flags);
			return 1;
		}
		if (strncmp(a, "--", 2) != 0 && npos && *npos < maxpos) {
			pos[(*npos)++] = a;
			continue;
		}
		if (strncmp(a, "--", 2) != 0) {
			fprintf(stderr,
			        "consent %s: unexpected argument '%s' (see consent %s --help)\n",
			        cmd, a, cmd);
			return 2;
		}
		const char *name = a + 2;
		const char *eq = strchr(name, '=');
		size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
		struct flag *f;
		for (f = flags; f->name; f++)
			if (strlen(f->name) == nlen && strncmp(f->name, name, nlen) == 0)
				break;
		if (!f->name) {
			fprintf(stderr,
			        "consent %s: unknown flag '--%.*s' (see consent %s --help)\n", cmd,
			        (int)nlen, name, cmd);
			return 2;
		}
		if (!f->takes_value) {
			if (eq) {
				fprintf(stderr, "consent %s: flag '--%s' takes no value\n", cmd,
				        f->name);
				return 2;
			}
			f->value = "1";
			continue;
		}
		if (eq) {
			f->value = eq + 1;
		} else if (i + 1 < argc) {
			f->value = argv[++i];
		} else {
			fprintf(stderr, "consent %s: flag '--%s' needs a value\n", cmd, f->name);
			return 2;
		}
	}
	for (struct flag *f = flags; f->name; f++)
		if (!f->value && f->env) {
			const char *v = getenv(f->env);
			if (v && *v)
				f->value = v;
		}
	return 0;
}

int args_parse(const char *cmd, const char *synopsis, int argc, char **argv, struct flag *flags)
{
	return parse(cmd, synopsis, argc, argv, flags, NULL, 0, NULL);
}

int args_parse_pos(const char *cmd, const char *synopsis, int argc, char **argv, struct flag *flags,
                   const char **pos, int maxpos, int *npos)
{
	return parse(cmd, synopsis, argc, argv, flags, pos, maxpos, npos);
}

const char *args_get(const struct flag *flags, const char *name)
{
	for (const struct flag *f = flags; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f->value;
	return NULL;
}

#include "cli/keys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/crypto.h"
#include "base/xalloc.h"

#define KEYS_MAGIC "consent-keys v1"

char *keys_path(const char *flag, const char *dsn, char *err, size_t errlen)
{
	if (flag && *flag)
		return xstrdup(flag);
	const char *env = getenv("CONSENT_KEYS");
	if (env && *env)
		return xstrdup(env);
	if (dsn && strncmp(dsn, "sqlite:", 7) == 0) {
		const char *p = dsn + 7;
		if (strncmp(p, "//", 2) == 0)
			p += 2;
		return xasprintf("%s.keys", p);
	}
	snprintf(err, errlen, "no key file: give --keys PATH or set CONSENT_KEYS");
	return NULL;
}

static int parse_line(const char *line, const char *name, uint8_t out[32])
{
	size_t n = strlen(name);
	if (strncmp(line, name, n) != 0 || line[n] != ' ')
		return -1;
	const char *v = line + n + 1;
	size_t vl = strcspn(v, "\n");
	uint8_t tmp[64];
	long got = crypto_unb64(v, vl, tmp, sizeof tmp);
	if (got != 32)
		return -1;
	memcpy(out, tmp, 32);
	return 0;
}

enum err keys_load(const char *path, struct keys *k, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open key file %s: %s", path, strerror(errno));
		return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || (st.st_mode & 077)) {
		close(fd);
		snprintf(err, errlen, "key file %s must be readable by its owner only (chmod 600)",
			 path);
		return ERR_INVAL;
	}
	char text[512];
	ssize_t n = read(fd, text, sizeof text - 1);
	close(fd);
	if (n <= 0) {
		snprintf(err, errlen, "cannot read key file %s", path);
		return ERR_IO;
	}
	text[n] = '\0';
	char *l1 = text, *l2 = strchr(l1, '\n');
	char *l3 = l2 ? strchr(l2 + 1, '\n') : NULL;
	if (strncmp(l1, KEYS_MAGIC "\n", strlen(KEYS_MAGIC) + 1) != 0 || !l2 || !l3 ||
	    parse_line(l2 + 1, "master", k->master) || parse_line(l3 + 1, "sign", k->sign_seed)) {
		snprintf(err, errlen, "key file %s is malformed", path);
		return ERR_INVAL;
	}
	return ERR_OK;
}

enum err keys_create(const char *path, struct keys *k, int *created, char *err, size_t errlen)
{
	*created = 0;
	enum err e = keys_load(path, k, err, errlen);
	if (e != ERR_NOTFOUND)
		return e;
	crypto_random(k->master, sizeof k->master);
	crypto_random(k->sign_seed, sizeof k->sign_seed);
	char *m = crypto_b64(k->master, 32), *s = crypto_b64(k->sign_seed, 32);
	char *text = xasprintf(KEYS_MAGIC "\nmaster %s\nsign %s\n", m, s);
	free(m);
	free(s);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create key file %s: %s", path, strerror(errno));
		free(text);
		return ERR_IO;
	}
	size_t len = strlen(text);
	int ok = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
	memset(text, 0, len);
	free(text);
	if (close(fd) != 0 || !ok) {
		snprintf(err, errlen, "cannot write key file %s", path);
		unlink(path);
		return ERR_IO;
	}
	*created = 1;
	return ERR_OK;
}

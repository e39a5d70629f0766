/* args.h - a small, strict flag parser shared by the commands.
 *
 * Flags are "--name VALUE", "--name=VALUE" or boolean "--name". An unknown
 * flag, a missing value or a stray argument prints one line naming it and
 * makes args_parse return 2. */
#ifndef CONSENT_CLI_ARGS_H
#define CONSENT_CLI_ARGS_H

struct flag {
	const char *name; /* without "--" */
	int takes_value;
	const char *env; /* environment variable used when absent, or NULL */
	const char *help;
	const char *value; /* out: the value ("1" for a boolean), or NULL */
};

/* Parses argv[1..argc) of command cmd into flags (ended by a {NULL}).
 * --help prints usage (with synopsis) and returns 1 (the caller exits 0);
 * errors return 2; success 0. */
int args_parse(const char *cmd, const char *synopsis, int argc, char **argv, struct flag *flags);
/* The same, but up to maxpos arguments that are not flags ("FILE") are
 * collected in order into pos[] (caller-owned; they point into argv) and
 * counted in *npos; one more is a usage error. A lone "-" is an argument. */
int args_parse_pos(const char *cmd, const char *synopsis, int argc, char **argv, struct flag *flags,
                   const char **pos, int maxpos, int *npos);
/* The value of a flag by name (NULL if not given). */
const char *args_get(const struct flag *flags, const char *name);

#endif

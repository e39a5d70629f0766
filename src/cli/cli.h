/* cli.h - subcommands of the consent binary that live outside main.c.
 *
 * Each takes its own argc/argv, where argv[0] is the subcommand's name
 * ("copy"), and returns the process exit status: 0 on success, 1 when the
 * work failed (with a message naming what failed on stderr), 2 on a usage
 * error (a one-line message on stderr). */
#ifndef CONSENT_CLI_CLI_H
#define CONSENT_CLI_CLI_H

/* consent copy --from DSN --to DSN: copies every table of one database into
 * a new, empty one (any backend to any), in one transaction on the target,
 * then compares the row counts of each table on both sides and prints them
 * on stdout. Refuses a target that already holds data. */
int cli_copy(int argc, char **argv);

#endif

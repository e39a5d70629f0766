/* cli.h - subcommands of the consent binary.
 *
 * Each takes the arguments after "consent" (argv[0] is the subcommand
 * name) and returns the process exit status: 0 on success, 1 when the
 * input is bad or an operation failed (message on stderr), 2 on a usage
 * error. */
#ifndef CONSENT_CLI_CLI_H
#define CONSENT_CLI_CLI_H

/* consent opinion [OPTIONS] PATH: runs the Polis math on a conversation
 * export folder and prints the math blob as JSON on stdout. */
int cli_opinion(int argc, char **argv);

#endif

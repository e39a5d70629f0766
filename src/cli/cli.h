/* cli.h - the commands of the consent binary. Each takes argv with
 * argv[0] = the command's name and returns the process exit status:
 * 0 success, 1 failure, 2 usage error (unknown flag, missing value). */
#ifndef CONSENT_CLI_CLI_H
#define CONSENT_CLI_CLI_H

int cli_init(int argc, char **argv);
int cli_serve(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_org(int argc, char **argv);

#endif

/* consent - command line entry point. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0) {
		printf("usage: consent COMMAND [OPTIONS]\n");
		return 0;
	}
	fprintf(stderr, "consent: unknown command '%s'\n", argv[1]);
	return 2;
}

/* libFuzzer harness for the Polis parsers (opinion/polis_csv.c,
 * opinion/polis_json.c) and, on whatever they accept, the whole opinion
 * pipeline and the writers. The first byte picks the parser.
 *
 * Build and run from the project root:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c17 \
 *     -D_POSIX_C_SOURCE=200809L -Isrc tests/fuzz/fuzz_polis.c src/opinion/\*.c \
 *     src/base/buf.c src/base/xalloc.c src/base/clock.c -ljansson -lcsv -lm \
 *     -o build/fuzz_polis
 *   build/fuzz_polis -max_total_time=60 tests/fuzz/corpus_polis
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "opinion/opinion.h"
#include "opinion/polis.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	struct polis_data d;
	struct buf msg;
	polis_data_init(&d);
	buf_init(&msg);
	enum err e;
	switch (data[0] % 6) {
	case 0: e = polis_read_votes_csv(&d, text, len, "votes.csv", &msg); break;
	case 1: e = polis_read_comments_csv(&d, text, len, "comments.csv", &msg); break;
	case 2: e = polis_read_participants_votes_csv(&d, text, len, "pv.csv", &msg); break;
	case 3: e = polis_read_votes_json(&d, text, len, "votes.json", &msg); break;
	case 4: e = polis_read_comments_json(&d, text, len, "comments.json", &msg); break;
	default: {
		struct opinion_given g;
		polis_read_clusters_json(&g, text, len, "m.json", &msg);
		opinion_given_clear(&g);
		e = ERR_INVAL;
	}
	}
	if (e == ERR_OK && d.nvotes <= 20000) {
		struct opinion_statement *st = polis_statements(&d);
		struct opinion o;
		struct opinion_opts opts = {.replay = d.timed};
		if (opinion_run(&o, d.votes, d.nvotes, st, d.ncomments, &opts, NULL) == ERR_OK) {
			struct buf out;
			buf_init(&out);
			polis_write_math(&out, &o);
			polis_write_votes_csv(&out, &d);
			polis_write_comments_csv(&out, &d, &o);
			polis_write_participants_votes_csv(&out, &d, &o);
			polis_write_summary_csv(&out, &d, &o);
			buf_clear(&out);
		}
		opinion_clear(&o);
		free(st);
	}
	polis_data_clear(&d);
	buf_clear(&msg);
	return 0;
}

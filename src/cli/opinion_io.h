/* opinion_io.h - file input and output for `consent opinion`: finding and
 * reading a conversation folder, writing the export CSVs. The parsing and
 * formatting themselves are in opinion/polis.h (pure). */
#ifndef CONSENT_CLI_OPINION_IO_H
#define CONSENT_CLI_OPINION_IO_H

#include "base/buf.h"
#include "base/err.h"
#include "opinion/opinion.h"
#include "opinion/polis.h"

/* Reads the whole file at path into out (appended). ERR_IO with a message
 * naming the file in msg. */
enum err opinion_io_read(const char *path, struct buf *out, struct buf *msg);
/* Loads the conversation in folder dir into d: comments.csv with votes.csv
 * (or participants-votes.csv when there is no votes.csv), else
 * comments.json with votes.json. ERR_NOTFOUND if neither is there, ERR_IO
 * or ERR_INVAL (message in msg, naming file and line). */
enum err opinion_io_load(const char *dir, struct polis_data *d, struct buf *msg);
/* Loads the clusters of a Polis math blob file into g. */
enum err opinion_io_load_clusters(const char *path, struct opinion_given *g, struct buf *msg);
/* Writes comments.csv, votes.csv, participants-votes.csv and summary.csv
 * into dir (created if missing). */
enum err opinion_io_write_csv(const char *dir, const struct polis_data *d, const struct opinion *o,
                              struct buf *msg);

#endif

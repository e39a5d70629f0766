/* Unit tests for tlog/note.c against ../shared/data/tlog/vectors.json:
 * golang.org/x/mod note keys and signatures, the C2SP example, the test
 * log's checkpoints and verification cases, and a witness cosignature. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "base/xalloc.h"
#include "tlog/note.h"
#include "tlog_vectors.h"

static json_t *vec;

static void hex_eq(const void *p, size_t n, const char *hex)
{
	char *got = xmalloc(2 * n + 1);
	crypto_hex(p, n, got);
	assert_string_equal(got, hex);
	free(got);
}

static void key_id_eq(uint32_t id, const char *hex)
{
	char got[9];
	snprintf(got, sizeof got, "%08x", (unsigned)id);
	assert_string_equal(got, hex);
}

/* The signature lines of a signed note: what follows the last blank line. */
static const char *sig_block(const char *msg)
{
	const char *p = NULL, *q = msg;
	while ((q = strstr(q, "\n\n")) != NULL)
		p = q++;
	assert_non_null(p);
	return p + 2;
}

/* Seed = SHA-256 of the string quoted in a "seed = SHA-256('...')" text. */
static void derive_seed(const char *derivation, uint8_t seed[32])
{
	const char *a = strchr(derivation, '\''), *b = strrchr(derivation, '\'');
	assert_true(a && b && b > a);
	crypto_sha256(a + 1, (size_t)(b - a - 1), seed);
}

/* ---- golang.org/x/mod example ---- */

static void test_go_example(void **state)
{
	(void)state;
	json_t *g = vec_get(vec_get(vec, "signed_note"), "go_x_mod_example");
	struct note_signer s;
	assert_int_equal(note_signer_parse(vec_str(g, "skey_PeterNeumann"), &s), ERR_OK);
	assert_string_equal(s.name, "PeterNeumann");
	assert_int_equal(s.type, NOTE_TYPE_ED25519);
	key_id_eq(s.key_id, vec_str(g, "key_id_hex"));
	hex_eq(s.sk, 32, vec_str(g, "ed25519_seed_hex"));
	hex_eq(s.pub, 32, vec_str(g, "ed25519_pub_hex"));
	char *str = note_signer_format(&s);
	assert_string_equal(str, vec_str(g, "skey_PeterNeumann"));
	sodium_memzero(str, strlen(str));
	free(str);

	struct note_verifier v[2], w;
	assert_int_equal(note_verifier_parse(vec_str(g, "vkey_PeterNeumann"), &v[0]), ERR_OK);
	assert_int_equal(note_verifier_parse(vec_str(g, "vkey_EnochRoot"), &v[1]), ERR_OK);
	note_signer_verifier(&s, &w);
	str = note_verifier_format(&w);
	assert_string_equal(str, vec_str(g, "vkey_PeterNeumann"));
	free(str);
	assert_memory_equal(&w.pub, &v[0].pub, 32);
	str = note_verifier_format(&v[1]);
	assert_string_equal(str, vec_str(g, "vkey_EnochRoot"));
	free(str);

	/* Signing reproduces PeterNeumann's (deterministic) signature. */
	const char *text = vec_str(g, "text"), *two = vec_str(g, "signed_note_two_sigs");
	struct note n;
	note_init(&n);
	assert_int_equal(note_set_text(&n, text, strlen(text)), ERR_OK);
	assert_int_equal(note_sign(&n, &s, 0), ERR_OK);
	char *msg;
	assert_int_equal(note_format(&n, &msg), ERR_OK);
	const char *first = sig_block(two);
	size_t first_len = (size_t)(strchr(first, '\n') - first) + 1;
	assert_int_equal(strlen(msg), strlen(text) + 1 + first_len);
	assert_memory_equal(msg, two, strlen(msg));
	free(msg);
	note_clear(&n);

	/* Both signatures verify; each key alone is enough. */
	size_t sig_key[2];
	assert_int_equal(note_parse(&n, two, strlen(two)), ERR_OK);
	assert_int_equal(n.nsigs, 2);
	assert_string_equal(n.text, text);
	assert_int_equal(note_verify(&n, v, 2, sig_key), ERR_OK);
	assert_int_equal(sig_key[0], 0);
	assert_int_equal(sig_key[1], 1);
	assert_int_equal(note_verify(&n, v + 1, 1, sig_key), ERR_OK);
	assert_int_equal(sig_key[0], SIZE_MAX);
	assert_int_equal(sig_key[1], 0);
	assert_int_equal(note_verify(&n, v, 1, NULL), ERR_OK);
	assert_int_equal(note_verify(&n, v, 0, NULL), ERR_UNAUTH);
	/* Formatting the parsed note gives it back. */
	assert_int_equal(note_format(&n, &msg), ERR_OK);
	assert_string_equal(msg, two);
	free(msg);
	note_clear(&n);
	note_signer_clear(&s);
}

/* ---- C2SP example ---- */

static void test_c2sp_example(void **state)
{
	(void)state;
	json_t *c = vec_get(vec_get(vec, "signed_note"), "c2sp_example");
	struct note_verifier v;
	assert_int_equal(note_verifier_parse(vec_str(c, "vkey"), &v), ERR_OK);
	assert_string_equal(v.name, "example.com/foo");
	key_id_eq(v.key_id, "530d903a");
	struct note n;
	const char *msg = vec_str(c, "signed_note");
	assert_int_equal(note_open(&n, msg, strlen(msg), &v, 1), ERR_OK);
	assert_string_equal(n.text, "This is an example message.\n");
	note_clear(&n);
	msg = vec_str(c, "tampered_note");
	assert_int_equal(note_open(&n, msg, strlen(msg), &v, 1), ERR_CRYPTO);
	assert_null(n.text);
	assert_int_equal(n.nsigs, 0);
}

/* ---- The test log ---- */

static struct note_signer log_signer;
static struct note_verifier log_key;

static void test_log_key(void **state)
{
	(void)state;
	json_t *c = vec_get(vec, "checkpoints");
	uint8_t seed[32];
	derive_seed(vec_str(c, "test_key_seed_derivation"), seed);
	hex_eq(seed, 32, vec_str(c, "ed25519_seed_hex"));
	assert_int_equal(
	    note_signer_from_seed(&log_signer, vec_str(c, "origin"), NOTE_TYPE_ED25519, seed),
	    ERR_OK);
	hex_eq(log_signer.pub, 32, vec_str(c, "ed25519_pub_hex"));
	key_id_eq(log_signer.key_id, vec_str(c, "key_id_hex"));
	key_id_eq(note_key_id(vec_str(c, "origin"), NOTE_TYPE_ED25519, log_signer.pub),
	          vec_str(c, "key_id_hex"));
	note_signer_verifier(&log_signer, &log_key);
	char *s = note_verifier_format(&log_key);
	assert_string_equal(s, vec_str(c, "vkey"));
	free(s);
	s = note_signer_format(&log_signer);
	assert_string_equal(s, vec_str(c, "skey_go_format"));
	free(s);
	struct note_signer p;
	assert_int_equal(note_signer_parse(vec_str(c, "skey_go_format"), &p), ERR_OK);
	assert_memory_equal(&p, &log_signer, sizeof p);
	struct note_verifier v;
	assert_int_equal(note_verifier_parse(vec_str(c, "vkey"), &v), ERR_OK);
	assert_memory_equal(v.pub, log_key.pub, 32);
	assert_int_equal(v.key_id, log_key.key_id);
	assert_string_equal(v.name, log_key.name);
}

static void test_checkpoints(void **state)
{
	(void)state;
	json_t *c = vec_get(vec, "checkpoints");
	const char *origin = vec_str(c, "origin");
	size_t i;
	json_t *it;
	json_array_foreach(vec_get(c, "items"), i, it)
	{
		uint64_t size = vec_u64(it, "tree_size");
		uint8_t root[32];
		vec_hash(vec_str(it, "root_hex"), root);
		char *text, *msg;
		assert_int_equal(note_checkpoint_format(origin, size, root, NULL, &text), ERR_OK);
		assert_string_equal(text, vec_str(it, "note_text"));

		struct note n;
		note_init(&n);
		assert_int_equal(note_set_text(&n, text, strlen(text)), ERR_OK);
		assert_int_equal(note_sign(&n, &log_signer, 0), ERR_OK);
		assert_int_equal(note_format(&n, &msg), ERR_OK);
		assert_string_equal(msg, vec_str(it, "signed_note"));
		note_clear(&n);

		struct note_checkpoint cp;
		size_t ncos = 99;
		assert_int_equal(
		    note_checkpoint_open(msg, strlen(msg), &log_key, NULL, 0, &cp, &ncos), ERR_OK);
		assert_string_equal(cp.origin, origin);
		assert_int_equal(cp.size, size);
		assert_memory_equal(cp.root, root, 32);
		assert_string_equal(cp.extensions, "");
		assert_int_equal(ncos, 0);
		note_checkpoint_clear(&cp);
		free(text);
		free(msg);
	}
	assert_int_equal(i, 4);
}

static void test_verification_cases(void **state)
{
	(void)state;
	json_t *c = vec_get(vec, "checkpoints");
	size_t i, valid = 0;
	json_t *it;
	json_array_foreach(vec_get(c, "note_verification_cases"), i, it)
	{
		const char *msg = vec_str(it, "signed_note");
		int want = strcmp(vec_str(it, "expect"), "valid") == 0;
		struct note n;
		enum err e = note_open(&n, msg, strlen(msg), &log_key, 1);
		if ((e == ERR_OK) != want)
			fail_msg("case '%s': got %s", vec_str(it, "desc"), err_str(e));
		note_clear(&n);
		struct note_checkpoint cp;
		e = note_checkpoint_open(msg, strlen(msg), &log_key, NULL, 0, &cp, NULL);
		if ((e == ERR_OK) != want)
			fail_msg("case '%s' as checkpoint: got %s", vec_str(it, "desc"),
			         err_str(e));
		note_checkpoint_clear(&cp);
		valid += want;
	}
	assert_int_equal(i, 11);
	assert_int_equal(valid, 2);
}

static void test_cosigned(void **state)
{
	(void)state;
	json_t *c = vec_get(vec_get(vec, "checkpoints"), "cosigned");
	uint8_t seed[32];
	derive_seed(vec_str(c, "witness_seed_derivation"), seed);
	struct note_signer ws;
	assert_int_equal(
	    note_signer_from_seed(&ws, vec_str(c, "witness_name"), NOTE_TYPE_COSIG, seed), ERR_OK);
	struct note_verifier wv, parsed;
	note_signer_verifier(&ws, &wv);
	char *s = note_verifier_format(&wv);
	assert_string_equal(s, vec_str(c, "witness_vkey_type04"));
	free(s);
	/* This vkey's base64 contains '+': it must be split at two '+' only. */
	assert_int_equal(note_verifier_parse(vec_str(c, "witness_vkey_type04"), &parsed), ERR_OK);
	assert_int_equal(parsed.type, NOTE_TYPE_COSIG);
	assert_memory_equal(&parsed, &wv, sizeof wv);
	/* The same key as type 0x01 has another key id. */
	assert_int_not_equal(note_key_id(wv.name, NOTE_TYPE_ED25519, wv.pub), wv.key_id);

	/* Log signature, then cosignature: reproduces the vector exactly. */
	const char *want = vec_str(c, "note_with_log_sig_and_cosig");
	uint64_t ts = vec_u64(c, "timestamp");
	const char *signed_msg = vec_str(c, "signed_message");
	const char *body = strstr(signed_msg, "audit.example.org/");
	assert_non_null(body);
	assert_int_equal(strncmp(signed_msg, "cosignature/v1\ntime 1700000000\n", 31), 0);
	struct note n;
	note_init(&n);
	assert_int_equal(note_set_text(&n, body, strlen(body)), ERR_OK);
	assert_int_equal(note_sign(&n, &log_signer, 0), ERR_OK);
	assert_int_equal(note_sign(&n, &ws, ts), ERR_OK);
	char *msg;
	assert_int_equal(note_format(&n, &msg), ERR_OK);
	assert_string_equal(msg, want);
	free(msg);
	note_clear(&n);

	/* The cosignature is over signed_message. */
	assert_int_equal(note_parse(&n, want, strlen(want)), ERR_OK);
	assert_int_equal(n.nsigs, 2);
	uint64_t got_ts;
	assert_int_equal(note_sig_timestamp(&n.sigs[1], &got_ts), ERR_OK);
	assert_int_equal(got_ts, ts);
	assert_int_equal(n.sigs[1].sig_len, 72);
	assert_int_equal(crypto_sign_verify_detached(n.sigs[1].sig + 8,
	                                             (const unsigned char *)signed_msg,
	                                             strlen(signed_msg), wv.pub),
	                 0);

	/* Verification. */
	struct note_verifier keys[2] = {log_key, wv};
	size_t sig_key[2];
	assert_int_equal(note_verify(&n, keys, 2, sig_key), ERR_OK);
	assert_int_equal(sig_key[0], 0);
	assert_int_equal(sig_key[1], 1);
	/* Unknown witness: ignored, as x/mod does with type-0x04 keys. */
	assert_int_equal(note_verify(&n, keys, 1, sig_key), ERR_OK);
	assert_int_equal(sig_key[1], SIZE_MAX);
	struct note_checkpoint cp;
	size_t ncos = 0;
	assert_int_equal(note_checkpoint_open(want, strlen(want), &log_key, &wv, 1, &cp, &ncos),
	                 ERR_OK);
	assert_int_equal(ncos, 1);
	assert_int_equal(cp.size, 8);
	note_checkpoint_clear(&cp);
	/* A witness key cannot stand for the log's. */
	assert_int_equal(note_checkpoint_open(want, strlen(want), &wv, NULL, 0, &cp, &ncos),
	                 ERR_INVAL);
	/* A checkpoint cosigned but not signed by the log is refused. */
	struct note only;
	note_init(&only);
	assert_int_equal(note_set_text(&only, body, strlen(body)), ERR_OK);
	assert_int_equal(note_sign(&only, &ws, ts), ERR_OK);
	assert_int_equal(note_format(&only, &msg), ERR_OK);
	assert_int_equal(note_checkpoint_open(msg, strlen(msg), &log_key, &wv, 1, &cp, &ncos),
	                 ERR_UNAUTH);
	assert_null(cp.origin);
	free(msg);
	note_clear(&only);
	/* A bad cosignature by a known witness rejects the checkpoint. */
	n.sigs[1].sig[0] ^= 1; /* the timestamp changes: the message does */
	assert_int_equal(note_verify(&n, keys, 2, NULL), ERR_CRYPTO);
	n.sigs[1].sig[0] ^= 1;
	n.sigs[1].sig[40] ^= 1;
	assert_int_equal(note_verify(&n, keys, 2, NULL), ERR_CRYPTO);
	assert_int_equal(note_format(&n, &msg), ERR_OK);
	assert_int_equal(note_checkpoint_open(msg, strlen(msg), &log_key, &wv, 1, &cp, &ncos),
	                 ERR_CRYPTO);
	/* ... but not when that witness is not configured. */
	assert_int_equal(note_checkpoint_open(msg, strlen(msg), &log_key, NULL, 0, &cp, &ncos),
	                 ERR_OK);
	assert_int_equal(ncos, 0);
	note_checkpoint_clear(&cp);
	free(msg);
	/* A timestamp over 2^63 - 1 is refused. */
	assert_int_equal(note_sign(&n, &ws, (uint64_t)INT64_MAX + 1), ERR_INVAL);
	note_clear(&n);
	note_signer_clear(&ws);
}

static void test_unverifiable_example(void **state)
{
	(void)state;
	const char *msg =
	    vec_str(vec_get(vec, "c2sp_checkpoint_spec_example_unverifiable"), "signed_note");
	struct note n;
	assert_int_equal(note_parse(&n, msg, strlen(msg)), ERR_OK);
	assert_int_equal(n.nsigs, 1);
	assert_string_equal(n.sigs[0].name, "example.com/behind-the-sofa");
	assert_int_equal(n.sigs[0].sig_len, 64);
	struct note_checkpoint cp;
	assert_int_equal(note_checkpoint_parse(n.text, n.text_len, &cp), ERR_OK);
	assert_string_equal(cp.origin, "example.com/behind-the-sofa");
	assert_int_equal(cp.size, 20852163);
	char *b64 = crypto_b64(cp.root, 32);
	assert_string_equal(b64, "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=");
	free(b64);
	note_checkpoint_clear(&cp);
	/* Our log key does not know it. */
	assert_int_equal(note_verify(&n, &log_key, 1, NULL), ERR_UNAUTH);
	note_clear(&n);
}

/* ---- Parsing rules ---- */

static void test_names_and_keys(void **state)
{
	(void)state;
	assert_true(note_name_valid("example.com/log", 15));
	assert_true(note_name_valid("caf\xc3\xa9", 5));
	assert_false(note_name_valid("", 0));
	assert_false(note_name_valid("a+b", 3));
	assert_false(note_name_valid("a b", 3));
	assert_false(note_name_valid("a\tb", 3));
	assert_false(note_name_valid("a\xc2\xa0"
	                             "b",
	                             4)); /* U+00A0 */
	assert_false(note_name_valid("a\xe2\x80\x83"
	                             "b",
	                             5)); /* U+2003 */
	assert_false(note_name_valid("a\xe3\x80\x80"
	                             "b",
	                             5)); /* U+3000 */
	assert_false(note_name_valid("a\xc3", 2));

	struct note_verifier v;
	const char *good =
	    "audit.example.org/test-log+641fdc93+ATHQZDleZZ3p8tNh7XmrLOKhr0XwVXzPSlCY5teznvtU";
	assert_int_equal(note_verifier_parse(good, &v), ERR_OK);
	assert_int_equal(
	    note_verifier_parse(
	        "audit.example.org/test-log+641FDC93+ATHQZDleZZ3p8tNh7XmrLOKhr0XwVXzPSlCY5teznvtU",
	        &v),
	    ERR_OK);
	static const char *bad[] = {
	    "",
	    "name",
	    "name+641fdc93",
	    "+641fdc93+ATHQZDleZZ3p8tNh7XmrLOKhr0XwVXzPSlCY5teznvtU",
	    /* wrong key id */
	    "audit.example.org/test-log+641fdc94+ATHQZDleZZ3p8tNh7XmrLOKhr0XwVXzPSlCY5teznvtU",
	    /* other name, same key */
	    "audit.example.org/test-log2+641fdc93+ATHQZDleZZ3p8tNh7XmrLOKhr0XwVXzPSlCY5teznvtU",
	    /* short id */
	    "audit.example.org/test-log+41fdc93+ATHQZDleZZ3p8tNh7XmrLOKhr0XwVXzPSlCY5teznvtU",
	    /* type 0x02 */
	    "audit.example.org/test-log+641fdc93+AjHQZDleZZ3p8tNh7XmrLOKhr0XwVXzPSlCY5teznvtU",
	    /* key too short */
	    "audit.example.org/test-log+641fdc93+ATHQZDleZZ3p8tNh7XmrLOKhr0XwVXzPSlCY5teznv",
	    /* no padding */
	    "audit.example.org/test-log+641fdc93+ATHQZDleZZ3p8tNh7XmrLOKhr0XwVXzPSlCY5teznvtU=",
	    "audit.example.org/test-log+641fdc93+ATHQZDleZZ3p8tNh7XmrLOKhr0XwVXzPSlCY5teznvtU ",
	    "audit example+641fdc93+ATHQZDleZZ3p8tNh7XmrLOKhr0XwVXzPSlCY5teznvtU",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (note_verifier_parse(bad[i], &v) != ERR_INVAL)
			fail_msg("accepted bad vkey '%s'", bad[i]);

	struct note_signer s;
	assert_int_equal(note_signer_parse(good, &s), ERR_INVAL);
	assert_int_equal(
	    note_signer_parse("PRIVATE+KEY+audit.example.org/"
	                      "test-log+641fdc94+AUu5kvQPJEAbofXH58R7zRxQMPQ3iHJUfHal7GluEkuu",
	                      &s),
	    ERR_INVAL);
	assert_int_equal(note_signer_from_seed(&s, "bad name", NOTE_TYPE_ED25519,
	                                       (const uint8_t *)"0123456789abcdef0123456789abcdef"),
	                 ERR_INVAL);
	assert_int_equal(note_signer_from_seed(&s, "ok", 0x02,
	                                       (const uint8_t *)"0123456789abcdef0123456789abcdef"),
	                 ERR_INVAL);

	/* A generated key round-trips through its strings and signs. */
	struct note_signer g, p;
	assert_int_equal(note_signer_generate(&g, "example.org/gen", NOTE_TYPE_ED25519), ERR_OK);
	char *str = note_signer_format(&g);
	assert_int_equal(note_signer_parse(str, &p), ERR_OK);
	assert_memory_equal(&p, &g, sizeof p);
	sodium_memzero(str, strlen(str));
	free(str);
	struct note_verifier gv;
	note_signer_verifier(&g, &gv);
	str = note_verifier_format(&gv);
	assert_int_equal(note_verifier_parse(str, &v), ERR_OK);
	assert_memory_equal(&v, &gv, sizeof v);
	free(str);
	struct note n;
	note_init(&n);
	assert_int_equal(note_set_text(&n, "hello\n", 6), ERR_OK);
	assert_int_equal(note_sign(&n, &g, 0), ERR_OK);
	assert_int_equal(note_verify(&n, &gv, 1, NULL), ERR_OK);
	/* Two keys with the same name and id are ambiguous. */
	struct note_verifier two[2] = {gv, gv};
	assert_int_equal(note_verify(&n, two, 2, NULL), ERR_INVAL);
	note_clear(&n);
	note_signer_clear(&g);
	note_signer_clear(&p);
	for (size_t i = 0; i < sizeof g; i++)
		assert_int_equal(((unsigned char *)&g)[i], 0);
}

static void test_malformed_notes(void **state)
{
	(void)state;
	/* A valid note to mutate. */
	struct note n;
	note_init(&n);
	assert_int_equal(note_set_text(&n, "text\n", 5), ERR_OK);
	assert_int_equal(note_sign(&n, &log_signer, 0), ERR_OK);
	char *good;
	assert_int_equal(note_format(&n, &good), ERR_OK);
	note_clear(&n);
	assert_int_equal(note_open(&n, good, strlen(good), &log_key, 1), ERR_OK);
	note_clear(&n);
	free(good);

	static const char *bad[] = {
	    "",
	    "\n",
	    "\n\n",
	    "text\n\n",
	    "text\n\n\xe2\x80\x94 a AAAAAA==\n",              /* 4 bytes: a key id, no signature */
	    "text\n\n\xe2\x80\x94 a AAAA\n",                  /* 3 bytes */
	    "text\n\n\xe2\x80\x94 a\n",                       /* no signature */
	    "text\n\n\xe2\x80\x94 a \n",                      /* empty signature */
	    "text\n\n\xe2\x80\x94  AAAAAAAAAAAA\n",           /* empty name */
	    "text\n\n\xe2\x80\x94 a+b AAAAAAAAAAAA\n",        /* '+' in name */
	    "text\n\n\xe2\x80\x94 a AAAAAAAA!AAA\n",          /* bad base64 */
	    "text\n\n\xe2\x80\x94 a AAAAAAAAAAA\n",           /* unpadded base64 */
	    "text\n\n\xe2\x80\x94 a AAAAAAAAAAAA",            /* no final newline */
	    "text\n\n\xe2\x80\x94\x61 AAAAAAAAAAAA\n",        /* no space after dash ("a") */
	    "text\n\n- a AAAAAAAAAAAA\n",                     /* hyphen */
	    "text\n\n\xe2\x80\x93 a AAAAAAAAAAAA\n",          /* en dash */
	    "text\n\n\xe2\x80\x94 a AAAAAAAAAAAA\n\n",        /* blank line at the end */
	    "te\txt\n\n\xe2\x80\x94 a AAAAAAAAAAAA\n",        /* tab */
	    "te\xffxt\n\n\xe2\x80\x94 a AAAAAAAAAAAA\n",      /* invalid UTF-8 */
	    "text\r\n\r\n\xe2\x80\x94 a AAAAAAAAAAAA\r\n",    /* CRLF */
	    "text\n\n\xe2\x80\x94 a AAAAAAAAAAAA\ngarbage\n", /* not a signature line */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (note_parse(&n, bad[i], strlen(bad[i])) != ERR_INVAL)
			fail_msg("accepted malformed note #%zu", i);
	/* A NUL byte inside. */
	static const char nul[] = "te\0xt\n\n\xe2\x80\x94 a AAAAAAAAAAAA\n";
	assert_int_equal(note_parse(&n, nul, sizeof nul - 1), ERR_INVAL);

	/* The text may hold blank lines: it ends at the last one. */
	const char *ok = "a\n\nb\n\n\xe2\x80\x94 a AAAAAAAAAAAA\n";
	assert_int_equal(note_parse(&n, ok, strlen(ok)), ERR_OK);
	assert_string_equal(n.text, "a\n\nb\n");
	assert_int_equal(n.nsigs, 1);
	assert_int_equal(n.sigs[0].key_id, 0);
	assert_int_equal(n.sigs[0].sig_len, 5);
	assert_int_equal(note_verify(&n, &log_key, 1, NULL), ERR_UNAUTH);
	note_clear(&n);

	/* Texts that cannot be signed. */
	assert_int_equal(note_set_text(&n, "", 0), ERR_INVAL);
	assert_int_equal(note_set_text(&n, "no newline", 10), ERR_INVAL);
	assert_int_equal(note_set_text(&n, "cr\r\n", 4), ERR_INVAL);
	assert_int_equal(note_sign(&n, &log_signer, 0), ERR_INVAL);
	char *out;
	assert_int_equal(note_format(&n, &out), ERR_INVAL);
	assert_int_equal(note_set_text(&n, "x\n", 2), ERR_OK);
	assert_int_equal(note_format(&n, &out), ERR_INVAL); /* no signature */
	assert_int_equal(note_verify(&n, &log_key, 1, NULL), ERR_UNAUTH);
	note_clear(&n);
}

static void test_many_signatures(void **state)
{
	(void)state;
	/* 16 must be accepted (the spec's floor); NOTE_MAX_SIGS is our cap. */
	struct note n;
	note_init(&n);
	assert_int_equal(note_set_text(&n, "many\n", 5), ERR_OK);
	struct note_signer w[16];
	struct note_verifier wv[16];
	for (int i = 0; i < 16; i++) {
		char name[32];
		snprintf(name, sizeof name, "w%d.example", i);
		assert_int_equal(note_signer_generate(&w[i], name, NOTE_TYPE_COSIG), ERR_OK);
		note_signer_verifier(&w[i], &wv[i]);
		assert_int_equal(note_sign(&n, &w[i], 1700000000 + (uint64_t)i), ERR_OK);
	}
	assert_int_equal(note_sign(&n, &log_signer, 0), ERR_OK);
	char *msg;
	assert_int_equal(note_format(&n, &msg), ERR_OK);
	note_clear(&n);
	size_t ncos;
	struct note_checkpoint cp;
	/* Not a checkpoint text. */
	assert_int_equal(note_checkpoint_open(msg, strlen(msg), &log_key, wv, 16, &cp, &ncos),
	                 ERR_INVAL);
	assert_int_equal(note_parse(&n, msg, strlen(msg)), ERR_OK);
	size_t sig_key[17];
	assert_int_equal(note_verify(&n, wv, 16, sig_key), ERR_OK);
	for (size_t i = 0; i < 16; i++) {
		uint64_t ts;
		assert_int_equal(sig_key[i], i);
		assert_int_equal(note_sig_timestamp(&n.sigs[i], &ts), ERR_OK);
		assert_int_equal(ts, 1700000000 + i);
	}
	assert_int_equal(sig_key[16], SIZE_MAX);
	/* Up to the cap, then ERR_LIMIT. */
	while (n.nsigs < NOTE_MAX_SIGS)
		assert_int_equal(note_sign(&n, &log_signer, 0), ERR_OK);
	assert_int_equal(note_sign(&n, &log_signer, 0), ERR_LIMIT);
	free(msg);
	assert_int_equal(note_format(&n, &msg), ERR_OK);
	note_clear(&n);
	assert_int_equal(note_parse(&n, msg, strlen(msg)), ERR_OK);
	note_clear(&n);
	/* One signature line more. */
	size_t len = strlen(msg);
	const char *last = msg + len - 1;
	while (last > msg && last[-1] != '\n')
		last--;
	char *more = xasprintf("%s%s", msg, last);
	assert_int_equal(note_parse(&n, more, strlen(more)), ERR_LIMIT);
	free(more);
	free(msg);
	for (int i = 0; i < 16; i++)
		note_signer_clear(&w[i]);
}

/* Copies pat into out (256 bytes) with each "%s" replaced by r. */
static void with_root(char *out, const char *pat, const char *r)
{
	size_t o = 0;
	for (const char *p = pat; *p;) {
		if (p[0] == '%' && p[1] == 's') {
			o += (size_t)snprintf(out + o, 256 - o, "%s", r);
			p += 2;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
}

static void test_checkpoint_text(void **state)
{
	(void)state;
	uint8_t root[32];
	memset(root, 0xab, sizeof root);
	char *t;
	assert_int_equal(
	    note_checkpoint_format("o", 18446744073709551615u, root, "ext one\nx\n", &t), ERR_OK);
	struct note_checkpoint c;
	assert_int_equal(note_checkpoint_parse(t, strlen(t), &c), ERR_OK);
	assert_int_equal(c.size, UINT64_MAX);
	assert_string_equal(c.extensions, "ext one\nx\n");
	assert_memory_equal(c.root, root, 32);
	note_checkpoint_clear(&c);
	assert_null(c.origin);
	free(t);
	assert_int_equal(note_checkpoint_format("", 1, root, NULL, &t), ERR_INVAL);
	assert_int_equal(note_checkpoint_format("a\nb", 1, root, NULL, &t), ERR_INVAL);
	assert_int_equal(note_checkpoint_format("a\rb", 1, root, NULL, &t), ERR_INVAL);
	assert_int_equal(note_checkpoint_format("o", 1, root, "x", &t), ERR_INVAL);
	assert_int_equal(note_checkpoint_format("o", 1, root, "x\n\ny\n", &t), ERR_INVAL);
	assert_int_equal(note_checkpoint_format("o", 1, root, "\n", &t), ERR_INVAL);
	assert_null(t);

	const char *r = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
	static const char *bad[] = {
	    "o\n1\n",
	    "o\n1\n%s",
	    "\n1\n%s\n",
	    "o\n\n%s\n",
	    "o\n01\n%s\n",
	    "o\n-1\n%s\n",
	    "o\n+1\n%s\n",
	    "o\n1 \n%s\n",
	    "o\n18446744073709551616\n%s\n",
	    "o\n99999999999999999999\n%s\n",
	    "o\n1\n%s \n",
	    "o\n1\n%s\n\n",
	    "o\n1\n%s\next\n\n",
	    "o\n1\nAAAA\n",
	    "o\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU\n",
	    "o\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFUA\n",
	    "o\n1\n%s",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char buf[256];
		with_root(buf, bad[i], r);
		if (note_checkpoint_parse(buf, strlen(buf), &c) != ERR_INVAL)
			fail_msg("accepted bad checkpoint #%zu", i);
		assert_null(c.origin);
	}
	char buf[256];
	snprintf(buf, sizeof buf, "o\n0\n%s\n", r);
	assert_int_equal(note_checkpoint_parse(buf, strlen(buf), &c), ERR_OK);
	assert_int_equal(c.size, 0);
	note_checkpoint_clear(&c);

	/* A checkpoint whose origin is not the key name is refused. */
	struct note n;
	note_init(&n);
	snprintf(buf, sizeof buf, "other.example/log\n0\n%s\n", r);
	assert_int_equal(note_set_text(&n, buf, strlen(buf)), ERR_OK);
	assert_int_equal(note_sign(&n, &log_signer, 0), ERR_OK);
	char *msg;
	assert_int_equal(note_format(&n, &msg), ERR_OK);
	assert_int_equal(note_checkpoint_open(msg, strlen(msg), &log_key, NULL, 0, &c, NULL),
	                 ERR_INVAL);
	assert_null(c.origin);
	free(msg);
	note_clear(&n);
}

static int setup(void **state)
{
	(void)state;
	if (crypto_setup() != ERR_OK)
		return -1;
	vec = vec_load();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	note_signer_clear(&log_signer);
	json_decref(vec);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_go_example),      cmocka_unit_test(test_c2sp_example),
	    cmocka_unit_test(test_log_key), /* sets log_signer, log_key for the rest */
	    cmocka_unit_test(test_checkpoints),     cmocka_unit_test(test_verification_cases),
	    cmocka_unit_test(test_cosigned),        cmocka_unit_test(test_unverifiable_example),
	    cmocka_unit_test(test_names_and_keys),  cmocka_unit_test(test_malformed_notes),
	    cmocka_unit_test(test_many_signatures), cmocka_unit_test(test_checkpoint_text),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

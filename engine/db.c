/*
 * db.c - an engine to and from its SQLite store.
 *
 * otz_engine_save() writes the rules (with their patterns and examples), the
 * specimens (each as its record text and its feature vector) and the
 * vocabulary to a new SQLite file beside the destination and renames it
 * into place, so that a reader never sees half a database.
 *
 * otz_engine_load() reads one back in six steps, one function each: the
 * format (a file that is not an otiose database, or comes from a newer
 * format, is refused), the rules, the prefilter built over their patterns,
 * the vocabulary, the specimens (their vectors) and the title index's keys;
 * then the engine is finished as one built from sources is (engine.c).  The database stays open: a specimen's
 * record is read and parsed the first time it is needed
 * (otz__specimen_ready), most runs needing three of the 244.  Whatever goes
 * wrong inside a database that opened, the file is what is broken: every
 * such failure is OTZ_EDB, said with the path where it is found; SQLite's
 * own message is kept.  Running out of memory stays OTZ_ENOMEM.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/random.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

static const char schema[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE rules(ord INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, file TEXT NOT NULL,"
	" line INTEGER NOT NULL, category TEXT NOT NULL, weight INTEGER NOT NULL, name TEXT,"
	" mention INTEGER NOT NULL, org INTEGER NOT NULL, range INTEGER NOT NULL,"
	" usual INTEGER NOT NULL, shape TEXT);"
	/* The tables read whole in key order at every load are kept in that
	 * order (WITHOUT ROWID): a scan of one is a walk along its leaves, where
	 * a rowid table walks an index and looks each row up. */
	"CREATE TABLE variants(rule_ord INTEGER NOT NULL, idx INTEGER NOT NULL, family TEXT,"
	" text TEXT NOT NULL, line INTEGER NOT NULL, PRIMARY KEY(rule_ord, idx)) WITHOUT ROWID;"
	"CREATE TABLE patterns(rule_ord INTEGER NOT NULL, idx INTEGER NOT NULL,"
	" pattern TEXT NOT NULL, line INTEGER NOT NULL, PRIMARY KEY(rule_ord, idx)) WITHOUT ROWID;"
	"CREATE TABLE examples(rule_ord INTEGER NOT NULL, idx INTEGER NOT NULL,"
	" counter INTEGER NOT NULL, text TEXT NOT NULL, line INTEGER NOT NULL,"
	" PRIMARY KEY(rule_ord, idx)) WITHOUT ROWID;"
	/* The record last: a row's columns are read in order, and loading
	 * reads the others without touching the record's pages (each record is
	 * read when its specimen is first needed). */
	"CREATE TABLE specimens(id INTEGER PRIMARY KEY, file TEXT NOT NULL, slug TEXT NOT NULL,"
	" title TEXT NOT NULL, family TEXT, vector BLOB NOT NULL, record TEXT NOT NULL);"
	"CREATE TABLE aliases(specimen_id INTEGER NOT NULL, alias TEXT NOT NULL);"
	/* Each specimen's title (alias 0) and aliases as the title index reads
	 * them (otz__title_norm: words made singular, grades and noise out,
	 * joined by spaces), so that loading normalizes none. */
	"CREATE TABLE title_keys(specimen_id INTEGER NOT NULL, alias INTEGER NOT NULL,"
	" words TEXT NOT NULL, PRIMARY KEY(specimen_id, alias)) WITHOUT ROWID;"
	"CREATE TABLE vocab(idx INTEGER PRIMARY KEY, feature TEXT NOT NULL, idf REAL NOT NULL);"
	/* The matcher's first stage over the patterns above, built at `corpus
	 * build` (otz__prefilter_encode): one row. */
	"CREATE TABLE prefilter(id INTEGER PRIMARY KEY, data BLOB NOT NULL);"
	/* The specimens' vectors turned inside out (otz__postings_encode): one
	 * row.  A load reads it and no vector. */
	"CREATE TABLE postings(id INTEGER PRIMARY KEY, data BLOB NOT NULL);"
	/* The vocabulary above, packed in one row (otz__vocab_encode): what a
	 * load reads. */
	"CREATE TABLE vocab_packed(id INTEGER PRIMARY KEY, data BLOB NOT NULL);";

static int db_fail(otz_error *err, sqlite3 *db, const char *path, const char *what)
{
	return otz__fail(err, OTZ_EDB, "%s: %s: %s", path, what,
	                 db ? sqlite3_errmsg(db) : "cannot open");
}

static int oom(otz_error *err)
{
	return otz__fail(err, OTZ_ENOMEM, "out of memory while loading the corpus database");
}

static int exec(sqlite3 *db, const char *sql, const char *path, otz_error *err)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = otz__fail(err, OTZ_EDB, "%s: %s", path, msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return rc;
	}
	return 0;
}

static int bind_text(sqlite3_stmt *st, int i, const char *s)
{
	return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
}

static int step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- saving ------------------------------------------------------- */

enum { S_META, S_RULE, S_PATTERN, S_EXAMPLE, S_VARIANT, S_SPECIMEN, S_TITLE_KEY, S_VOCAB,
       S_PREFILTER, S_POSTINGS, S_VOCAB_PACKED, S__COUNT };

static int save_rules(sqlite3_stmt **st, const otz_ruleset *rs)
{
	otz__ruleset_need_examples(rs);
	for (size_t i = 0; i < rs->nrules; i++)
		if (otz__rule_ready(rs, i, NULL))
			return -1;
	for (size_t i = 0; i < rs->nrules; i++) {
		const otz_rule *r = &rs->rules[i];
		sqlite3_bind_int64(st[S_RULE], 1, (sqlite3_int64)i);
		bind_text(st[S_RULE], 2, r->id);
		bind_text(st[S_RULE], 3, r->file);
		sqlite3_bind_int(st[S_RULE], 4, r->line);
		bind_text(st[S_RULE], 5, otz_category_name(r->category));
		sqlite3_bind_int(st[S_RULE], 6, r->weight);
		bind_text(st[S_RULE], 7, r->name);
		sqlite3_bind_int(st[S_RULE], 8, r->mention);
		sqlite3_bind_int(st[S_RULE], 9, r->org);
		sqlite3_bind_int(st[S_RULE], 10, r->range);
		sqlite3_bind_int(st[S_RULE], 11, r->usual);
		bind_text(st[S_RULE], 12, otz__metric_kind_name(r->shape));
		if (step_done(st[S_RULE]))
			return -1;
		for (size_t v = 0; v < r->nvariants; v++) {
			sqlite3_bind_int64(st[S_VARIANT], 1, (sqlite3_int64)i);
			sqlite3_bind_int64(st[S_VARIANT], 2, (sqlite3_int64)v);
			bind_text(st[S_VARIANT], 3,
			          r->variants[v].family < 0 ? NULL
			                                    : otz_family_name((size_t)r->variants[v].family));
			bind_text(st[S_VARIANT], 4, r->variants[v].text);
			sqlite3_bind_int(st[S_VARIANT], 5, r->variants[v].line);
			if (step_done(st[S_VARIANT]))
				return -1;
		}
		for (size_t p = 0; p < r->npatterns; p++) {
			sqlite3_bind_int64(st[S_PATTERN], 1, (sqlite3_int64)i);
			sqlite3_bind_int64(st[S_PATTERN], 2, (sqlite3_int64)p);
			const char *src = otz__pattern_src(rs, &r->patterns[p]);
			if (!src)
				return -1;
			bind_text(st[S_PATTERN], 3, src);
			sqlite3_bind_int(st[S_PATTERN], 4, r->patterns[p].line);
			if (step_done(st[S_PATTERN]))
				return -1;
		}
		for (size_t x = 0; x < r->nexamples; x++) {
			sqlite3_bind_int64(st[S_EXAMPLE], 1, (sqlite3_int64)i);
			sqlite3_bind_int64(st[S_EXAMPLE], 2, (sqlite3_int64)x);
			sqlite3_bind_int(st[S_EXAMPLE], 3, r->examples[x].counter);
			bind_text(st[S_EXAMPLE], 4, r->examples[x].text);
			sqlite3_bind_int(st[S_EXAMPLE], 5, r->examples[x].line);
			if (step_done(st[S_EXAMPLE]))
				return -1;
		}
	}
	return 0;
}

/* Specimen s's title (alias 0) or alias a - 1 as the title index reads it. */
static int save_title_key(sqlite3_stmt *st, size_t s, size_t a, const char *title)
{
	char *words = otz__title_norm(title);
	if (!words)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)s);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)a);
	bind_text(st, 3, words);
	free(words);
	return step_done(st);
}

static int save_specimens(sqlite3_stmt **st, const otz_engine *e)
{
	for (size_t s = 0; s < e->nspecimens; s++) {
		const otz_record *r = otz_engine_specimen(e, s);
		if (!r)
			return -1;
		sqlite3_bind_int64(st[S_SPECIMEN], 1, (sqlite3_int64)s);
		bind_text(st[S_SPECIMEN], 2, e->spec_files[s]);
		bind_text(st[S_SPECIMEN], 3, r->slug);
		bind_text(st[S_SPECIMEN], 4, r->title);
		bind_text(st[S_SPECIMEN], 5, r->family);
		sqlite3_bind_blob(st[S_SPECIMEN], 6, e->vecs[s],
		                  (int)(e->veclens[s] * sizeof(otz_vent)), SQLITE_TRANSIENT);
		bind_text(st[S_SPECIMEN], 7, otz_engine_specimen_text(e, s));
		if (step_done(st[S_SPECIMEN]))
			return -1;
		for (size_t a = 0; a <= r->naliases; a++)
			if (save_title_key(st[S_TITLE_KEY], s, a, a ? r->aliases[a - 1] : r->title))
				return -1;
	}
	for (size_t v = 0; v < otz__vocab_size(e->vocab); v++) {
		sqlite3_bind_int64(st[S_VOCAB], 1, (sqlite3_int64)v);
		bind_text(st[S_VOCAB], 2, otz__vocab_key(e->vocab, v));
		sqlite3_bind_double(st[S_VOCAB], 3, otz__vocab_idf(e->vocab, v));
		if (step_done(st[S_VOCAB]))
			return -1;
	}
	return 0;
}

/* One row of a one-blob table: the n bytes at b (an encoder's output,
 * freed here), or -1 when encoding failed (b is then NULL). */
static int save_blob(sqlite3_stmt *st, int failed, unsigned char *b, size_t n)
{
	if (failed) {
		free(b);
		return -1;
	}
	sqlite3_bind_blob(st, 1, b, (int)n, SQLITE_TRANSIENT);
	free(b);
	return step_done(st);
}

static int save_prefilter(sqlite3_stmt *st, const otz_engine *e)
{
	unsigned char *b = NULL;
	size_t n = 0;
	int failed = !e->pf || otz__prefilter_encode(e->pf, &b, &n);
	return save_blob(st, failed, b, n);
}

static int save_vocab_packed(sqlite3_stmt *st, const otz_engine *e)
{
	unsigned char *b = NULL;
	size_t n = 0;
	int failed = !e->vocab || otz__vocab_encode(e->vocab, &b, &n);
	return save_blob(st, failed, b, n);
}

static int save_postings(sqlite3_stmt *st, const otz_engine *e)
{
	unsigned char *b = NULL;
	size_t n = 0;
	int failed = !e->post_start || otz__postings_encode(e, &b, &n);
	return save_blob(st, failed, b, n);
}

/* Remove the temporary databases (DB.tmp.PID[.X]) that builds killed
 * mid-write left beside db_path: those whose process is gone. */
static void remove_stale_temps(const char *db_path)
{
	const char *slash = strrchr(db_path, '/');
	char dir[4096];
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - db_path) : 1,
	         slash ? db_path : ".");
	if (slash == db_path)
		snprintf(dir, sizeof(dir), "/");
	const char *base = slash ? slash + 1 : db_path;
	size_t bl = strlen(base);
	DIR *d = opendir(dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		const char *n = de->d_name;
		if (strncmp(n, base, bl) != 0 || strncmp(n + bl, ".tmp.", 5) != 0)
			continue;
		char *end;
		long pid = strtol(n + bl + 5, &end, 10);
		if (pid <= 0 || (*end && *end != '.'))
			continue; /* not a temporary database */
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue; /* its build is still running (EPERM: someone else's) */
		char p[8192];
		snprintf(p, sizeof(p), "%s/%s", dir, n);
		struct stat stt;
		if (lstat(p, &stt) == 0 && S_ISREG(stt.st_mode))
			unlink(p);
	}
	if (d)
		closedir(d);
}

/* A new, empty temporary file beside db_path, created by this process and
 * no one else (O_EXCL, not through a symbolic link), its name in *out. */
static int make_temp(const char *db_path, char **out, otz_error *err)
{
	size_t pl = strlen(db_path) + 48;
	char *tmp = malloc(pl);
	if (!tmp)
		return otz__fail(err, OTZ_ENOMEM, "out of memory");
	for (int attempt = 0; attempt < 64; attempt++) {
		uint32_t r = 0;
		if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
			r = (uint32_t)attempt * 2654435761u ^ (uint32_t)getpid();
		snprintf(tmp, pl, "%s.tmp.%ld.%08x", db_path, (long)getpid(), (unsigned)r);
		int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd >= 0) {
			close(fd);
			*out = tmp;
			return 0;
		}
		if (errno != EEXIST)
			break;
	}
	int e = errno;
	free(tmp);
	return otz__fail(err, OTZ_EIO, "%s: cannot create a temporary file beside it: %s", db_path,
	                 strerror(e));
}

int otz_engine_save(const otz_engine *e, const char *db_path, otz_error *err)
{
	int rc = 0;
	sqlite3 *db = NULL;
	sqlite3_stmt *st[S__COUNT] = {NULL};
	char *tmp = NULL;
	remove_stale_temps(db_path);
	if ((rc = make_temp(db_path, &tmp, err)))
		return rc;
	if (sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL) !=
	    SQLITE_OK) {
		rc = db_fail(err, db, tmp, "cannot create");
		goto done;
	}
	if ((rc = exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN;", tmp, err)) ||
	    (rc = exec(db, schema, tmp, err)))
		goto done;
	static const char *const sql[S__COUNT] = {
		[S_META] = "INSERT INTO meta VALUES(?1, ?2)",
		[S_RULE] = "INSERT INTO rules VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
		[S_VARIANT] = "INSERT INTO variants VALUES(?1, ?2, ?3, ?4, ?5)",
		[S_PATTERN] = "INSERT INTO patterns VALUES(?1, ?2, ?3, ?4)",
		[S_EXAMPLE] = "INSERT INTO examples VALUES(?1, ?2, ?3, ?4, ?5)",
		[S_SPECIMEN] = "INSERT INTO specimens VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
		[S_TITLE_KEY] = "INSERT INTO title_keys VALUES(?1, ?2, ?3)",
		[S_PREFILTER] = "INSERT INTO prefilter VALUES(0, ?1)",
		[S_POSTINGS] = "INSERT INTO postings VALUES(0, ?1)",
		[S_VOCAB_PACKED] = "INSERT INTO vocab_packed VALUES(0, ?1)",
		[S_VOCAB] = "INSERT INTO vocab VALUES(?1, ?2, ?3)"};
	for (int k = 0; k < S__COUNT; k++)
		if (sqlite3_prepare_v2(db, sql[k], -1, &st[k], NULL) != SQLITE_OK) {
			rc = db_fail(err, db, tmp, "prepare");
			goto done;
		}
	char num[32];
	snprintf(num, sizeof(num), "%d", OTZ_DB_FORMAT);
	bind_text(st[S_META], 1, "format");
	bind_text(st[S_META], 2, num);
	if (step_done(st[S_META]))
		goto sqlfail;
	bind_text(st[S_META], 1, "generator");
	bind_text(st[S_META], 2, "otiose " OTZ_VERSION);
	if (step_done(st[S_META]) || save_rules(st, e->rules) || save_specimens(st, e) ||
	    save_prefilter(st[S_PREFILTER], e) || save_postings(st[S_POSTINGS], e) ||
	    save_vocab_packed(st[S_VOCAB_PACKED], e))
		goto sqlfail;
	if ((rc = exec(db, "COMMIT;", tmp, err)))
		goto done;
	for (int k = 0; k < S__COUNT; k++) {
		sqlite3_finalize(st[k]);
		st[k] = NULL;
	}
	if (sqlite3_close(db) != SQLITE_OK) {
		rc = db_fail(err, db, tmp, "close");
		db = NULL;
		goto done;
	}
	db = NULL;
	if (rename(tmp, db_path) != 0)
		rc = otz__fail(err, OTZ_EIO, "%s: cannot rename into place: %s", db_path, strerror(errno));
	goto done;
sqlfail:
	rc = db_fail(err, db, tmp, "write");
done:
	for (int k = 0; k < S__COUNT; k++)
		sqlite3_finalize(st[k]);
	if (db)
		sqlite3_close(db);
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* ---- loading ------------------------------------------------------ */

typedef struct loader {
	otz_engine *e;
	sqlite3 *db;
	const char *path;
	otz_error *err;
} loader;

static int prep(loader *l, sqlite3_stmt **st, const char *sql)
{
	if (sqlite3_prepare_v2(l->db, sql, -1, st, NULL) != SQLITE_OK)
		return db_fail(l->err, l->db, l->path, "not an otiose corpus database");
	return 0;
}

/* One number: SELECT count(*) ... */
static int count_rows(loader *l, const char *sql, const char *what, size_t *n)
{
	sqlite3_stmt *st = NULL;
	int rc = prep(l, &st, sql);
	if (!rc && sqlite3_step(st) != SQLITE_ROW)
		rc = db_fail(l->err, l->db, l->path, what);
	if (!rc)
		*n = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc;
}

static int read_format(loader *l)
{
	sqlite3_stmt *st = NULL;
	int rc = prep(l, &st, "SELECT value FROM meta WHERE key='format'");
	if (rc)
		return rc;
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = otz__fail(l->err, OTZ_EDB, "%s: not an otiose corpus database (no format)", l->path);
		goto done;
	}
	int fmt = sqlite3_column_int(st, 0);
	if (fmt > OTZ_DB_FORMAT)
		rc = otz__fail(l->err, OTZ_EDB,
		               "%s: database format %d is newer than this otiose reads (%d); "
		               "rebuild it with 'otiose corpus build'",
		               l->path, fmt, OTZ_DB_FORMAT);
	else if (fmt < OTZ_DB_FORMAT)
		rc = otz__fail(l->err, OTZ_EDB,
		               "%s: database format '%s' is older than this otiose reads (%d); "
		               "rebuild it with 'otiose corpus build'",
		               l->path, (const char *)sqlite3_column_text(st, 0), OTZ_DB_FORMAT);
done:
	sqlite3_finalize(st);
	return rc;
}

/* A string of the row in the ruleset's pool (SQLite's text lives only
 * until the next step); NULL when the column is NULL or memory ran out
 * (*oom_ set). */
static char *pool_text(otz_ruleset *rs, sqlite3_stmt *st, int col, int *oom_)
{
	const char *t = (const char *)sqlite3_column_text(st, col);
	if (!t)
		return NULL;
	char *p = otz__arena_strndup(rs->pool, t, (size_t)sqlite3_column_bytes(st, col));
	if (!p)
		*oom_ = 1;
	return p;
}

/* One row of a table that hangs off the rules into *item (zeroed); 0 or an
 * error (*oom_ set when memory ran out). */
typedef int (*row_fn)(loader *l, sqlite3_stmt *st, void *item, int *oom_);

/* The rows of one of the tables that hang off the rules (translations,
 * patterns, examples), read in rule order (`rule_ord`, the first column, is
 * where each table's primary key begins) into one array *arr of items of
 * `size` bytes; each rule's count is the size_t at count_off in its
 * otz_rule.  The rules are sliced out of the array once it stops moving. */
static int read_parts(loader *l, const char *sql, const char *what, void **arr, size_t size,
                      size_t count_off, row_fn fn)
{
	otz_ruleset *rs = l->e->rules;
	sqlite3_stmt *st = NULL;
	size_t n = 0, cap = 0;
	int rc, step, oom_ = 0;
	if ((rc = prep(l, &st, sql)))
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 ord = sqlite3_column_int64(st, 0);
		if (ord < 0 || ord >= (sqlite3_int64)rs->nrules) {
			rc = otz__fail(l->err, OTZ_EDB, "%s: corrupt %s row (rule %lld)", l->path, what,
			               (long long)ord);
			goto done;
		}
		if (n == cap) {
			size_t c = cap ? 2 * cap : 1024;
			void *p = realloc(*arr, c * size);
			if (!p) {
				rc = oom(l->err);
				goto done;
			}
			*arr = p;
			cap = c;
		}
		void *item = (char *)*arr + n * size;
		memset(item, 0, size);
		if ((rc = fn(l, st, item, &oom_)) || oom_) {
			rc = rc ? rc : oom(l->err);
			goto done;
		}
		(*(size_t *)((char *)&rs->rules[ord] + count_off))++;
		n++;
	}
	if (step != SQLITE_DONE)
		rc = db_fail(l->err, l->db, l->path, what);
done:
	sqlite3_finalize(st);
	return rc;
}

static int variant_row(loader *l, sqlite3_stmt *st, void *item, int *oom_)
{
	otz_variant *v = item;
	const char *fam = (const char *)sqlite3_column_text(st, 1);
	int f = fam ? otz_family_find(fam) : -1;
	if (!(v->text = pool_text(l->e->rules, st, 2, oom_)) || (fam && f < 0))
		return *oom_ ? 0 : otz__fail(l->err, OTZ_EDB, "%s: corrupt translation", l->path);
	v->line = sqlite3_column_int(st, 3);
	v->family = f;
	for (const char *p = strchr(v->text, '{'); p; p = strchr(p + 1, '{')) {
		if (p[1] == '{') {
			p++;
			continue;
		}
		const char *e = strchr(p, '}');
		int k = e ? otz__slot_find(p + 1, (size_t)(e - p - 1)) : -1;
		if (k >= 0)
			v->slots |= 1u << k;
	}
	return 0;
}

/* A pattern's place and line: its source is read when it is first
 * compiled (load_pattern). */
static int pattern_row(loader *l, sqlite3_stmt *st, void *item, int *oom_)
{
	(void)l;
	(void)oom_;
	((otz_pattern *)item)->line = sqlite3_column_int(st, 1);
	return 0;
}

static int example_row(loader *l, sqlite3_stmt *st, void *item, int *oom_)
{
	otz_example *x = item;
	if (!(x->text = pool_text(l->e->rules, st, 2, oom_)))
		return *oom_ ? 0 : otz__fail(l->err, OTZ_EDB, "%s: corrupt example", l->path);
	x->counter = sqlite3_column_int(st, 1);
	x->line = sqlite3_column_int(st, 3);
	return 0;
}

/* The examples of a loaded engine's rules (ctx: the engine), read from its
 * database the first time they are asked for, under the engine's lock;
 * published by examples_ready.  On failure they stay empty, to be tried
 * again. */
static int load_examples(void *ctx, otz_ruleset *rs)
{
	otz_engine *e = ctx;
	int rc = 0;
	pthread_mutex_lock(&e->lazy);
	if (atomic_load_explicit(&rs->examples_ready, memory_order_relaxed) || !e->db)
		goto done;
	loader l = {e, e->db, e->db_path, NULL};
	if ((rc = read_parts(&l, "SELECT rule_ord, counter, text, line FROM examples "
	                         "ORDER BY rule_ord, idx", "example",
	                     (void **)&rs->all_examples, sizeof(otz_example),
	                     offsetof(otz_rule, nexamples), example_row))) {
		for (size_t i = 0; i < rs->nrules; i++)
			rs->rules[i].nexamples = 0;
		goto done;
	}
	size_t x = 0;
	for (size_t i = 0; i < rs->nrules; i++) {
		rs->rules[i].examples = rs->all_examples + x;
		rs->rules[i].cap_examples = rs->rules[i].nexamples;
		x += rs->rules[i].nexamples;
	}
	atomic_store_explicit(&rs->examples_ready, 1, memory_order_release);
done:
	pthread_mutex_unlock(&e->lazy);
	return rc;
}

/* Rule i's variants (ctx: the engine), read from the engine's database the
 * first time the rule is needed, under the engine's lock, into the
 * ruleset's pool; published by the rule's `ready`.  A rule without a plain
 * translation is a corrupt database. */
static int load_rule(void *ctx, otz_ruleset *rs, size_t i, otz_error *err)
{
	otz_engine *e = ctx;
	otz_rule *r = &rs->rules[i];
	otz_variant *v = NULL;
	size_t n = 0, cap = 0;
	int rc = 0, step, oom_ = 0;
	pthread_mutex_lock(&e->lazy);
	if (atomic_load_explicit(&r->ready, memory_order_relaxed))
		goto done;
	loader l = {e, e->db, e->db_path, err};
	sqlite3_stmt *st = e->variants_st;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)i);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap && OTZ_GROW(v, cap, n + 1)) {
			rc = otz__fail(err, OTZ_ENOMEM, "out of memory");
			goto reset;
		}
		memset(&v[n], 0, sizeof(v[n]));
		/* variant_row reads the columns after rule_ord: the statement's
		 * first column is the rule too. */
		if ((rc = variant_row(&l, st, &v[n], &oom_)) || oom_) {
			rc = rc ? rc : otz__fail(err, OTZ_ENOMEM, "out of memory");
			goto reset;
		}
		n++;
	}
	if (step != SQLITE_DONE) {
		rc = db_fail(err, e->db, e->db_path, "read translations");
		goto reset;
	}
	otz_variant *kept = otz__arena_alloc(rs->pool, (n ? n : 1) * sizeof(*kept));
	if (!kept) {
		rc = otz__fail(err, OTZ_ENOMEM, "out of memory");
		goto reset;
	}
	memcpy(kept, v, n * sizeof(*kept));
	r->variants = kept;
	r->nvariants = r->cap_variants = n;
	if (otz__rule_translation(r)) {
		r->nvariants = 0;
		rc = otz__fail(err, OTZ_EDB, "%s: corrupt database: rule '%s' has no plain translation",
		               e->db_path, r->id);
		goto reset;
	}
	atomic_store_explicit(&r->ready, 1, memory_order_release);
reset:
	sqlite3_reset(st);
done:
	pthread_mutex_unlock(&e->lazy);
	free(v);
	return rc;
}

/* Pattern pt's source (ctx: the engine), read from the engine's database
 * the first time the pattern is compiled, under the engine's lock, into the
 * ruleset's pool; published by a release store of pt->src.  OTZ_EDB when
 * it is not there (a corrupt database), OTZ_ENOMEM. */
static int load_pattern(void *ctx, otz_ruleset *rs, otz_pattern *pt)
{
	otz_engine *e = ctx;
	int rc = 0;
	pthread_mutex_lock(&e->lazy);
	if (atomic_load_explicit(&pt->src, memory_order_relaxed))
		goto done;
	/* Which rule's slice holds it: the slices are in rule order. */
	size_t lo = 0, hi = rs->nrules;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (rs->rules[mid].patterns <= pt)
			lo = mid;
		else
			hi = mid;
	}
	sqlite3_stmt *st = e->pattern_st;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)lo);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)(pt - rs->rules[lo].patterns));
	int oom_ = 0;
	char *src = sqlite3_step(st) == SQLITE_ROW ? pool_text(rs, st, 0, &oom_) : NULL;
	sqlite3_reset(st);
	if (!src)
		rc = oom_ ? OTZ_ENOMEM : OTZ_EDB;
	else
		atomic_store_explicit(&pt->src, src, memory_order_release);
done:
	pthread_mutex_unlock(&e->lazy);
	return rc;
}

/* The rules, then their patterns, each table read in one pass in rule
 * order into one array, sliced rule by rule; every string in the ruleset's
 * pool (each rule's variants when it is first needed, the examples when
 * first asked for).  (A query per rule and table, and two
 * copies of every string, were 15 ms of a 30 ms start.) */
static int read_rules(loader *l)
{
	otz_ruleset *rs = l->e->rules;
	sqlite3_stmt *st = NULL;
	int rc, step, oom_ = 0;
	if (!(rs->pool = otz__arena_new()))
		return oom(l->err);
	if ((rc = prep(l, &st, "SELECT ord, id, file, line, category, weight, name, mention, org, "
	                       "range, usual, shape FROM rules ORDER BY ord")))
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_int64(st, 0) != (sqlite3_int64)rs->nrules) {
			rc = otz__fail(l->err, OTZ_EDB, "%s: corrupt rule row", l->path);
			goto done;
		}
		if (OTZ_GROW(rs->rules, rs->cap_rules, rs->nrules + 1)) {
			rc = oom(l->err);
			goto done;
		}
		otz_rule *t = &rs->rules[rs->nrules];
		memset(t, 0, sizeof(*t));
		t->id = pool_text(rs, st, 1, &oom_);
		t->file = pool_text(rs, st, 2, &oom_);
		t->line = sqlite3_column_int(st, 3);
		const char *cat = (const char *)sqlite3_column_text(st, 4);
		t->weight = sqlite3_column_int(st, 5);
		t->name = pool_text(rs, st, 6, &oom_);
		t->mention = sqlite3_column_int(st, 7);
		t->org = sqlite3_column_int(st, 8);
		t->range = sqlite3_column_int(st, 9);
		t->usual = sqlite3_column_int(st, 10) != 0;
		const char *shape = (const char *)sqlite3_column_text(st, 11);
		t->shape = shape ? otz__metric_kind_find(shape, strlen(shape)) : OTZ_MK_NONE;
		if (oom_) {
			rc = oom(l->err);
			goto done;
		}
		int c = 0;
		while (c < OTZ_CAT__COUNT && (!cat || strcmp(cat, otz_category_name((otz_category)c))))
			c++;
		if (!t->id || !t->file || c == OTZ_CAT__COUNT || t->range < OTZ_RANGE_ANY ||
		    t->range > OTZ_RANGE_NARROW || (shape && t->shape == OTZ_MK_NONE)) {
			rc = otz__fail(l->err, OTZ_EDB, "%s: corrupt rule row", l->path);
			goto done;
		}
		t->category = (otz_category)c;
		rs->nrules++;
	}
	if (step != SQLITE_DONE) {
		rc = db_fail(l->err, l->db, l->path, "read rules");
		goto done;
	}
	if ((rc = read_parts(l, "SELECT rule_ord, line FROM patterns ORDER BY rule_ord, idx",
	                     "pattern", (void **)&rs->all_patterns, sizeof(otz_pattern),
	                     offsetof(otz_rule, npatterns), pattern_row))) {
		/* counted but not sliced: nothing for the way out to walk */
		for (size_t i = 0; i < rs->nrules; i++)
			rs->rules[i].npatterns = 0;
		goto done;
	}
	size_t p = 0;
	for (size_t i = 0; i < rs->nrules; i++) {
		otz_rule *r = &rs->rules[i];
		r->patterns = rs->all_patterns + p;
		r->cap_patterns = r->npatterns;
		p += r->npatterns;
	}
	/* Checked once every rule has its slice: a ruleset freed on the way
	 * out walks each rule's patterns. */
	for (size_t i = 0; i < rs->nrules; i++) {
		const otz_rule *r = &rs->rules[i];
		/* only a shape rule has none: the metric heuristic finds its phrases */
		if ((r->npatterns == 0) != (r->shape != OTZ_MK_NONE)) {
			rc = otz__fail(l->err, OTZ_EDB, "%s: corrupt database: rule '%s' has %s", l->path,
			               r->id, r->npatterns ? "a shape and a pattern" : "no pattern");
			goto done;
		}
	}
	otz__ruleset_loaded(rs);
	/* The variants, sources and examples when first needed (see load_rule). */
	rs->load_rule = load_rule;
	rs->load_pattern = load_pattern;
	rs->load_examples = load_examples;
	rs->load_ctx = l->e;
done:
	sqlite3_finalize(st);
	return rc;
}

static int read_blob(void *ctx, size_t off, void *to, size_t n)
{
	return n && sqlite3_blob_read(ctx, to, (int)n, (int)off) != SQLITE_OK;
}

/* The prefilter stored at build, over the rules just read: read piece by
 * piece straight into its arrays (a whole-blob read would assemble its
 * 470 KB in a buffer first).  A database without one gets it built at load
 * (engine.c), as before it was stored. */
static int read_prefilter(loader *l)
{
	sqlite3_blob *b = NULL;
	if (sqlite3_blob_open(l->db, "main", "prefilter", "data", 0, 0, &b) != SQLITE_OK) {
		int code = sqlite3_extended_errcode(l->db);
		sqlite3_blob_close(b);
		/* No such row (or no table): the prefilter is built at load. */
		return code == SQLITE_ERROR ? 0 : db_fail(l->err, l->db, l->path, "read the prefilter");
	}
	int rc = otz__prefilter_read(&l->e->pf, l->e->rules, (size_t)sqlite3_blob_bytes(b),
	                             read_blob, b);
	sqlite3_blob_close(b);
	if (rc == OTZ_ENOMEM)
		return oom(l->err);
	if (rc)
		return otz__fail(l->err, OTZ_EDB, "%s: corrupt prefilter", l->path);
	return 0;
}

/* The vocabulary, packed in one row; from the table, row by row, in a
 * database without it. */
static int read_vocabulary(loader *l)
{
	sqlite3_stmt *st = NULL;
	size_t nvocab = 0, expect = 0;
	int rc, step;
	sqlite3_blob *b = NULL;
	if (sqlite3_blob_open(l->db, "main", "vocab_packed", "data", 0, 0, &b) == SQLITE_OK) {
		rc = otz__vocab_read(&l->e->vocab, (size_t)sqlite3_blob_bytes(b), read_blob, b);
		sqlite3_blob_close(b);
		if (rc == OTZ_ENOMEM)
			return oom(l->err);
		if (rc)
			return otz__fail(l->err, OTZ_EDB, "%s: corrupt vocabulary", l->path);
		return 0;
	}
	sqlite3_blob_close(b);
	/* The rows are numbered from 0 (checked below): the last number says
	 * how many, without count(*) walking every page of the table. */
	if ((rc = count_rows(l, "SELECT coalesce(max(idx) + 1, 0) FROM vocab", "read vocabulary",
	                     &nvocab)))
		return rc;
	if (otz__vocab_new(&l->e->vocab, nvocab))
		return oom(l->err);
	if ((rc = prep(l, &st, "SELECT idx, feature, idf FROM vocab ORDER BY idx")))
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 1);
		long k = key && (size_t)sqlite3_column_int64(st, 0) == expect++
		             ? otz__vocab_add(l->e->vocab, key, sqlite3_column_double(st, 2))
		             : OTZ_EINVAL;
		if (k < 0) {
			/* A key twice, a gap or no key: corrupt. */
			rc = k == OTZ_ENOMEM ? oom(l->err)
			                     : otz__fail(l->err, OTZ_EDB, "%s: corrupt vocabulary", l->path);
			goto done;
		}
	}
	if (step != SQLITE_DONE)
		rc = db_fail(l->err, l->db, l->path, "read vocabulary");
done:
	sqlite3_finalize(st);
	return rc;
}

/* Specimen k's vector, from a row's column col, into e->vecs[k] (its
 * entries checked against the vocabulary); 0, OTZ_EDB or OTZ_ENOMEM. */
static int take_vector(otz_engine *e, sqlite3_stmt *st, int col, size_t k)
{
	const void *blob = sqlite3_column_blob(st, col);
	size_t bl = (size_t)sqlite3_column_bytes(st, col);
	if (bl % sizeof(otz_vent))
		return OTZ_EDB;
	otz_vent *v = malloc(bl ? bl : 1);
	if (!v)
		return OTZ_ENOMEM;
	if (bl)
		memcpy(v, blob, bl);
	for (size_t x = 0; x < bl / sizeof(otz_vent); x++)
		if (v[x].idx >= otz__vocab_size(e->vocab)) {
			free(v);
			return OTZ_EDB;
		}
	e->vecs[k] = v;
	e->veclens[k] = bl / sizeof(otz_vent);
	return 0;
}

/* One specimen row into slot k: its file name, and its vector when
 * `vectors` (a database without its inverted index stored); else the vector
 * is read with the record, when the specimen is first needed
 * (otz__specimen_ready). */
static int read_specimen(loader *l, sqlite3_stmt *st, size_t k, int vectors)
{
	otz_engine *e = l->e;
	const char *file = (const char *)sqlite3_column_text(st, 1);
	if (sqlite3_column_int64(st, 0) != (sqlite3_int64)k || !file)
		return otz__fail(l->err, OTZ_EDB, "%s: corrupt specimen row %zu", l->path, k);
	e->spec_files[k] = strdup(file);
	e->nspecimens = k + 1; /* owned from here on, freed with the engine */
	if (!e->spec_files[k])
		return oom(l->err);
	int rc = vectors ? take_vector(e, st, 2, k) : 0;
	if (rc == OTZ_ENOMEM)
		return oom(l->err);
	if (rc)
		return otz__fail(l->err, OTZ_EDB, "%s: corrupt vector of specimen %s", l->path, file);
	return 0;
}

/* The specimens' file names, and their vectors when the inverted index is
 * not stored (see read_postings). */
static int read_specimens(loader *l)
{
	otz_engine *e = l->e;
	sqlite3_stmt *st = NULL;
	size_t ns = 0;
	int rc, step;
	/* Numbered from 0 (read_specimen checks): as for the vocabulary.  A
	 * count(*) here walked the page of every record. */
	if ((rc = count_rows(l, "SELECT coalesce(max(id) + 1, 0) FROM specimens", "read specimens",
	                     &ns)))
		return rc;
	e->specimens = calloc(ns ? ns : 1, sizeof(*e->specimens));
	e->spec_files = calloc(ns ? ns : 1, sizeof(char *));
	e->spec_texts = calloc(ns ? ns : 1, sizeof(*e->spec_texts));
	e->vecs = calloc(ns ? ns : 1, sizeof(*e->vecs));
	e->veclens = calloc(ns ? ns : 1, sizeof(size_t));
	if (!e->specimens || !e->spec_files || !e->spec_texts || !e->vecs || !e->veclens)
		return oom(l->err);
	sqlite3_blob *b = NULL;
	int vectors = sqlite3_blob_open(l->db, "main", "postings", "data", 0, 0, &b) != SQLITE_OK;
	sqlite3_blob_close(b);
	if ((rc = prep(l, &st, vectors ? "SELECT id, file, vector FROM specimens ORDER BY id"
	                               : "SELECT id, file FROM specimens ORDER BY id")))
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW && e->nspecimens < ns)
		if ((rc = read_specimen(l, st, e->nspecimens, vectors)))
			goto done;
	if (step != SQLITE_DONE && step != SQLITE_ROW)
		rc = db_fail(l->err, l->db, l->path, "read specimens");
done:
	sqlite3_finalize(st);
	return rc;
}

/* The inverted index over the specimens' vectors, stored at build, read
 * piece by piece into its arrays.  A database without it has the vectors
 * read (read_specimens) and the index built at load (engine.c). */
static int read_postings(loader *l)
{
	sqlite3_blob *b = NULL;
	if (sqlite3_blob_open(l->db, "main", "postings", "data", 0, 0, &b) != SQLITE_OK) {
		sqlite3_blob_close(b);
		return 0;
	}
	int rc = otz__postings_read(l->e, (size_t)sqlite3_blob_bytes(b), read_blob, b);
	sqlite3_blob_close(b);
	if (rc == OTZ_ENOMEM)
		return oom(l->err);
	if (rc)
		return otz__fail(l->err, OTZ_EDB, "%s: corrupt inverted index", l->path);
	return 0;
}

/* The title index, from the words stored for each specimen's title and
 * aliases, in specimen order, each specimen's title first. */
static int read_title_keys(loader *l)
{
	otz_engine *e = l->e;
	sqlite3_stmt *st = NULL;
	size_t n = 0, cap = 0;
	uint32_t *spec = NULL, *alias = NULL;
	char **words = NULL;
	otz_arena *texts = otz__arena_new(); /* the words, freed together */
	int rc, step;
	if (!texts)
		return oom(l->err);
	if ((rc = prep(l, &st, "SELECT specimen_id, alias, words FROM title_keys "
	                       "ORDER BY specimen_id, alias")))
		goto done;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 s = sqlite3_column_int64(st, 0), a = sqlite3_column_int64(st, 1);
		const char *w = (const char *)sqlite3_column_text(st, 2);
		/* Each specimen's keys are its title, then its aliases in order. */
		if (!w || s < 0 || s >= (sqlite3_int64)e->nspecimens ||
		    a != (n && spec[n - 1] == (uint32_t)s ? (sqlite3_int64)alias[n - 1] + 1 : 0) ||
		    (n && (uint32_t)s < spec[n - 1])) {
			rc = otz__fail(l->err, OTZ_EDB, "%s: corrupt title key of specimen %lld", l->path,
			               (long long)s);
			goto done;
		}
		if (n == cap) {
			size_t c = cap ? 2 * cap : 512, c1 = cap, c2 = cap;
			if (OTZ_GROW(spec, c1, c) || OTZ_GROW(alias, c2, c) || OTZ_GROW(words, cap, c)) {
				rc = oom(l->err);
				goto done;
			}
		}
		spec[n] = (uint32_t)s;
		alias[n] = (uint32_t)a;
		if (!(words[n] = otz__arena_strndup(texts, w, (size_t)sqlite3_column_bytes(st, 2)))) {
			rc = oom(l->err);
			goto done;
		}
		n++;
	}
	if (step != SQLITE_DONE)
		rc = db_fail(l->err, l->db, l->path, "read title keys");
	else if (otz__title_index_from_words(e, n, spec, alias, words))
		rc = oom(l->err);
done:
	sqlite3_finalize(st);
	otz__arena_free(texts);
	free(words);
	free(spec);
	free(alias);
	return rc;
}

int otz__specimen_ready(const otz_engine *ce, size_t i, otz_error *err)
{
	/* The records are a cache filled on first use, the one part of a
	 * shared engine written after load. */
	otz_engine *e = (otz_engine *)ce;
	if (atomic_load_explicit(&e->specimens[i], memory_order_acquire))
		return 0;
	if (!e->db)
		return otz__fail(err, OTZ_EINVAL, "specimen %zu has no record", i);
	int rc = 0;
	otz_record *rec = NULL;
	char *text = NULL;
	pthread_mutex_lock(&e->lazy);
	if (atomic_load_explicit(&e->specimens[i], memory_order_relaxed))
		goto done; /* another thread read it meanwhile */
	sqlite3_stmt *st = e->record_st;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)i);
	int step = sqlite3_step(st);
	const char *t = step == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
	size_t tl = t ? (size_t)sqlite3_column_bytes(st, 0) : 0;
	if (!t) {
		rc = step == SQLITE_ROW || step == SQLITE_DONE
		         ? otz__fail(err, OTZ_EDB, "%s: corrupt corpus database: no record of specimen %s",
		                     e->db_path, e->spec_files[i])
		         : otz__fail(err, OTZ_EDB, "%s: cannot read the record of specimen %s: %s",
		                     e->db_path, e->spec_files[i], sqlite3_errmsg(e->db));
	} else if (!(text = malloc(tl + 1))) {
		rc = otz__fail(err, OTZ_ENOMEM, "out of memory");
	} else {
		memcpy(text, t, tl);
		text[tl] = '\0';
		otz_error perr = {0, ""};
		rc = otz_record_parse(&rec, text, tl, e->spec_files[i], &perr);
		if (rc == OTZ_ENOMEM)
			otz__fail(err, rc, "out of memory");
		else if (rc)
			rc = otz__fail(err, OTZ_EDB, "%s: corrupt corpus database: %.700s", e->db_path,
			               perr.msg);
		/* Its vector, unless the load read them all; published with the
		 * record below. */
		if (!rc && !e->vecs[i] && (rc = take_vector(e, st, 1, i)))
			rc = rc == OTZ_ENOMEM ? otz__fail(err, rc, "out of memory")
			                      : otz__fail(err, OTZ_EDB,
			                                  "%s: corrupt vector of specimen %s",
			                                  e->db_path, e->spec_files[i]);
	}
	sqlite3_reset(st);
	if (!rc) {
		/* The text first: a reader that sees the record sees its text. */
		atomic_store_explicit(&e->spec_texts[i], text, memory_order_release);
		atomic_store_explicit(&e->specimens[i], rec, memory_order_release);
		text = NULL;
		rec = NULL;
	}
done:
	pthread_mutex_unlock(&e->lazy);
	otz_record_free(rec);
	free(text);
	return rc;
}

int otz__specimens_ready(const otz_engine *e, const otz_scored *top, size_t n, otz_error *err)
{
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++)
		rc = otz__specimen_ready(e, top[i].spec, err);
	return rc;
}

void otz__engine_db_close(otz_engine *e)
{
	sqlite3_finalize(e->record_st);
	sqlite3_finalize(e->variants_st);
	sqlite3_finalize(e->pattern_st);
	e->variants_st = e->pattern_st = NULL;
	if (e->db)
		sqlite3_close(e->db);
	free(e->db_path);
	e->record_st = NULL;
	e->db = NULL;
	e->db_path = NULL;
}

int otz_engine_load(otz_engine **out, const char *db_path, otz_error *err)
{
	int rc = 0;
	loader l = {NULL, NULL, db_path, err};
	struct stat sb;
	if (stat(db_path, &sb) != 0)
		return otz__fail(err, OTZ_EDB, "%s: %s (build it with 'otiose corpus build')", db_path,
		                 strerror(errno));
	if ((rc = otz__engine_new(&l.e, err)))
		return rc;
	/* No mutex of SQLite's own: the load is one thread, and the engine's
	 * lock serializes the reads after it. */
	if (sqlite3_open_v2(db_path, &l.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		rc = db_fail(err, l.db, db_path, "cannot open");
		goto done;
	}
	/* Read through a memory map rather than into SQLite's page cache: the
	 * whole file is read once, and copying it into a cache that is thrown
	 * away cost 450 page faults (5 ms).  The file is never rewritten in
	 * place (otz_engine_save renames a new one over it), and the map is
	 * dropped when the load ends.  Where mapping fails SQLite reads. */
	sqlite3_exec(l.db, "PRAGMA mmap_size=1073741824", NULL, NULL, NULL);
	/* The shared lock taken by the first read is kept for the connection's
	 * life, and with it SQLite's cache: the records, translations and
	 * sources read later (thousands, in a long batch) would otherwise each
	 * lock and unlock the file and check that it had not changed.  Nothing
	 * writes the file in place (a new database is renamed over it), so no
	 * writer waits on the lock, and other readers share it. */
	sqlite3_exec(l.db, "PRAGMA locking_mode=EXCLUSIVE", NULL, NULL, NULL);
	if ((rc = read_format(&l)) || (rc = read_rules(&l)) || (rc = read_prefilter(&l)) ||
	    (rc = read_vocabulary(&l)) ||
	    (rc = read_specimens(&l)) || (rc = read_postings(&l)) || (rc = read_title_keys(&l)) ||
	    (rc = prep(&l, &l.e->record_st, "SELECT record, vector FROM specimens WHERE id = ?1")) ||
	    (rc = prep(&l, &l.e->variants_st, "SELECT rule_ord, family, text, line FROM variants "
	                                      "WHERE rule_ord = ?1 ORDER BY idx")) ||
	    (rc = prep(&l, &l.e->pattern_st, "SELECT pattern FROM patterns "
	                                     "WHERE rule_ord = ?1 AND idx = ?2")))
		goto done;
	/* Checked when the database was built: compiled as matching needs it. */
	otz__ruleset_defer(l.e->rules);
	otz_error ferr = {0, ""};
	rc = otz__engine_finish(l.e, &ferr);
	if (rc == OTZ_ENOMEM)
		rc = oom(err);
	else if (rc)
		rc = otz__fail(err, OTZ_EDB, "%s: corrupt corpus database: %.700s", db_path, ferr.msg);
	/* Kept open, unmapped (the little read from here on is read as any
	 * file is), for the specimens' records and the rules' variants. */
	if (!rc && !(l.e->db_path = strdup(db_path)))
		rc = oom(err);
	if (!rc) {
		sqlite3_exec(l.db, "PRAGMA mmap_size=0", NULL, NULL, NULL);
		l.e->db = l.db;
		l.db = NULL;
	}
done:
	if (l.db) {
		sqlite3_finalize(l.e->record_st);
		sqlite3_finalize(l.e->variants_st);
		sqlite3_finalize(l.e->pattern_st);
		l.e->record_st = l.e->variants_st = l.e->pattern_st = NULL;
		sqlite3_close(l.db);
	}
	if (rc) {
		otz_engine_free(l.e);
		return rc;
	}
	*out = l.e;
	return 0;
}

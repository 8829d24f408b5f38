/* tsrec CLI: several workspace files replaced as one step (a redo journal).
 *
 * Every save is atomic for its own file (temp file, fsync, rename), but
 * some commands change several files for one logical change: put-events
 * adds the events to the group's Interactions, to the live state of every
 * campaign of the group and to the tracker. Killed between two saves, such
 * a command would leave campaigns that never saw events the group holds.
 * So these commands commit:
 *   1. each new file is saved to FINAL.pending (the library's own atomic
 *      save, or cli_ws_write_atomic), next to FINAL;
 *   2. cli_commit_apply writes WORKSPACE/.commit-journal (atomically) with
 *      the FINAL paths, relative to the workspace root -- that write is the
 *      commit point -- then renames each FINAL.pending over FINAL, fsyncs
 *      the folders and removes the journal.
 *
 * Recovery (cli_commit_recover): cli_ws_open runs it with the exclusive
 * lock held, before the command. A journal left by a killed command is
 * redone: every listed FINAL.pending still there is renamed over FINAL
 * (redoing twice is harmless: a rename already done left no .pending),
 * then the journal is removed. Any FINAL.pending left after that belongs
 * to a commit killed before its journal and is deleted, so the old files
 * stand, all of them.
 *
 * Readers: until a journal is redone the final files are a mix of old and
 * new, and the journal says the new state is the committed one, so a read
 * must not run before it is redone. The simplest correct rule: a command
 * that only reads takes its shared lock, and when a journal is there
 * (which, under any lock, means its writer was killed) trades the lock for
 * the exclusive one, recovers, and goes back to shared. flock's conversion
 * is not atomic, so another command may run in between; that is harmless,
 * since every command recovers first. Nothing else reads .pending files or
 * the journal: resources are found by NAME.json (cli_ws_each), and hidden
 * names (the journal, the lock) are never listed.
 *
 * Test hook (tests/e2e/cli_crash.sh only): TSREC_CLI_CRASH_AFTER_RENAMES=N
 * makes cli_commit_apply _exit(137), as kill -9 would, at a chosen point:
 * N = -1 after the .pending files are saved but before the journal is
 * written, N = 0 right after the journal, N >= 1 after N renames (N = the
 * number of files: after all of them, before the journal is removed). */
#ifndef TSREC_CLI_COMMIT_H
#define TSREC_CLI_COMMIT_H

#include <stddef.h>

#include "workspace.h"

typedef struct cli_commit {
    const cli_ws *ws;
    char **rel; /* FINAL paths relative to the workspace root */
    int n, cap;
    int applied; /* the journal was written: the .pending files are its own */
} cli_commit;

void cli_commit_init(cli_commit *c, const cli_ws *ws);

/* Add the file FINAL (a path under the workspace root, as cli_ws_path
 * builds them) to the commit; `pending` gets FINAL.pending, where the
 * caller saves the new content. 0, or -1 with errno set. */
int cli_commit_add(cli_commit *c, const char *final_path, char *pending, size_t cap);

/* Commit: journal, renames, fsyncs, journal removed. 0, or -1 with errno
 * set: failing before the journal is written the .pending files are
 * deleted and nothing changed; failing after it, the journal stays and
 * the next command on the workspace finishes the commit. */
int cli_commit_apply(cli_commit *c);

/* Release the commit; the .pending files of a commit that was not applied
 * (an error on the way) are deleted. */
void cli_commit_free(cli_commit *c);

/* 1 when the workspace holds a journal (an unfinished commit). */
int cli_commit_journal_exists(const cli_ws *ws);

/* Redo and remove a leftover journal, then delete stray .pending files.
 * Needs the exclusive lock. 0, or -1 with errno set (the journal, if any,
 * is kept). */
int cli_commit_recover(const cli_ws *ws);

#endif /* TSREC_CLI_COMMIT_H */

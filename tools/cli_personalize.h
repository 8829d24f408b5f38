/* tsrec CLI: `tsrec personalize`, `personalize-runtime` and
 * `personalize-events`. Each *_main gets argv starting at the subcommand and
 * returns the exit code. */
#ifndef TSREC_CLI_PERSONALIZE_H
#define TSREC_CLI_PERSONALIZE_H

int cli_personalize_main(int argc, char **argv);
int cli_personalize_runtime_main(int argc, char **argv);
int cli_personalize_events_main(int argc, char **argv);

#endif /* TSREC_CLI_PERSONALIZE_H */

/*
 * main.c - the rift command: a dispatch table of subcommands (src/cmd/).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"

static const struct cmd commands[] = {
#define C(n, s) { #n, cmd_##n, s },
  RIFT_COMMANDS(C)
#undef C
};

#define NCMD (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
  size_t i;
  fputs("usage: rift <command> [options] [args]\n\n"
        "rift - Rapid Incident Forensic Triage\n\ncommands:\n", f);
  for(i = 0; i < NCMD; i++)
    fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fputs("\nrun 'rift <command> --help' for a command's options\n", f);
}

int main(int argc, char **argv)
{
  size_t i;
  signal(SIGPIPE, SIG_IGN);
  if(argc < 2) {
    usage(stderr);
    return RIFT_EXIT_USAGE;
  }
  if(!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
     !strcmp(argv[1], "help")) {
    usage(stdout);
    return RIFT_EXIT_OK;
  }
  if(!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
    puts("rift 0.1.0");
    return RIFT_EXIT_OK;
  }
  for(i = 0; i < NCMD; i++) {
    if(!strcmp(argv[1], commands[i].name))
      return commands[i].fn(argc - 1, argv + 1);
  }
  fprintf(stderr, "rift: '%s' is not a rift command\n\n", argv[1]);
  usage(stderr);
  return RIFT_EXIT_USAGE;
}

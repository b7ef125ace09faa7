import type { Readable, Writable } from 'node:stream';
import type { Env } from '../config.js';

/** Everything a CLI command touches, passed in so tests can run commands in-process. */
export type CliIo = {
  stdin: Readable;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Env;
  /** Working directory that relative paths resolve against. */
  cwd: string;
  /** True when stdin is an interactive terminal (prompts are shown, Ctrl-C handling). */
  isTty: boolean;
  /**
   * The process's own output streams, when it has them: a terminal session's line editor echoes what the rep types
   * into one of them (readline without an output stream shows nothing). In-process tests leave it out.
   */
  streams?: { stdout: Writable & { isTTY?: boolean }; stderr: Writable & { isTTY?: boolean } };
};

/** A command's result: the process exit code. */
export type ExitCode = 0 | 1 | 2 | 130;

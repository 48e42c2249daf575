import { ControlClient, ControlError, logText, statusText, waitText, type LogEntry, type WaitResult } from '../engine';
import { EXIT, type ControlCliOptions } from './controlArgs';

/** Writes to the terminal; tests give their own. */
export interface Terminal {
  out: (text: string) => void;
  err: (text: string) => void;
}

const processTerminal: Terminal = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/**
 * `hotreload wait|status|logs|restart|stop`: one call to the session's control endpoint each,
 * printed for a terminal (or as JSON); the exit code says how it went (see CONTROL_USAGE).
 */
export async function runControlCommand(options: ControlCliOptions, terminal: Terminal = processTerminal, interrupted?: Promise<void>): Promise<number> {
  let client: ControlClient;
  try {
    client = await ControlClient.connect(options.query);
  } catch (err) {
    terminal.err(`hotreload: ${(err as Error).message}\n`);
    return err instanceof ControlError && err.code === 'several-sessions' ? EXIT.usage : EXIT.noSession;
  }
  try {
    return await run(client, options, terminal, interrupted);
  } catch (err) {
    terminal.err(`hotreload: ${(err as Error).message}\n`);
    return err instanceof ControlError && err.code === 'bad-request' ? EXIT.usage : EXIT.noSession;
  } finally {
    client.dispose();
  }
}

async function run(client: ControlClient, options: ControlCliOptions, terminal: Terminal, interrupted?: Promise<void>): Promise<number> {
  const json = (value: unknown) => terminal.out(`${JSON.stringify(value)}\n`);
  switch (options.command) {
    case 'wait':
      return printWait(await client.wait(options.timeoutMs), options, terminal);
    case 'status': {
      const status = await client.status();
      if (options.json) json({ root: client.hello.root, enginePid: client.hello.pid, frontEnd: client.hello.frontEnd, ...status });
      else terminal.out(`${statusText(status, client.hello.root, options.cwd)}\n`);
      return EXIT.ok;
    }
    case 'logs': {
      const print = (entries: LogEntry[]) => (options.json ? entries.forEach(json) : terminal.out(logText(entries)));
      const result = await client.logs({ sinceVersion: options.sinceVersion, lines: options.lines, follow: options.follow }, (entry) => print([entry]));
      if (result.droppedOutputBytes > 0 && !options.json && options.sinceVersion === undefined && options.lines === undefined)
        terminal.err(`[hotreload] (${result.droppedOutputBytes} earlier bytes of output are no longer kept)\n`);
      print(result.entries);
      if (result.followed) await Promise.race([result.followed, interrupted ?? new Promise(() => undefined)]);
      return EXIT.ok;
    }
    case 'restart':
      await client.restart();
      if (!options.wait) {
        if (options.json) json({ queued: true });
        else terminal.err('[hotreload] restart queued\n');
        return EXIT.ok;
      }
      return printWait(await client.wait(options.timeoutMs), options, terminal);
    case 'stop':
      await client.stop();
      if (options.json) json({ stopping: true });
      else terminal.err(`[hotreload] stopping the session of ${client.hello.root}\n`);
      return EXIT.ok;
  }
}

/** The wait's answer: what serves on stdout; errors, a crash or a timeout on stderr with its exit code. */
function printWait(result: WaitResult, options: ControlCliOptions, terminal: Terminal): number {
  if (options.json) terminal.out(`${JSON.stringify(result)}\n`);
  else (result.outcome === 'serving' ? terminal.out : terminal.err)(`${waitText(result, options.cwd)}\n`);
  switch (result.outcome) {
    case 'serving':
      return EXIT.ok;
    case 'build-failed':
      return EXIT.buildFailed;
    case 'crashed':
      return EXIT.crashed;
    case 'timeout':
      return EXIT.timeout;
    case 'stopped':
      return EXIT.noSession;
  }
}

import { ControlClient, ControlError } from './client';
import type { SessionQuery } from './discovery';
import { logText, problemLine, statusText, waitText } from './text';

/** A tool's input, as JSON Schema (what MCP's tools/list and VS Code's languageModelTools both take). */
interface ToolInputSchema {
  type: 'object';
  properties: Record<string, { type: 'number' | 'boolean'; description: string; minimum?: number }>;
  additionalProperties?: false;
}

export interface ToolAnswer {
  text: string;
  /** The tool could not do what it is for (no session, a timeout); a failed build is an answer, not an error. */
  isError: boolean;
}

/**
 * A tool an agent calls to drive a Hot Reload session: the same few, with the same words, over
 * MCP (`hotreload mcp`) and VS Code's language model tools. Each is one or two calls of the
 * control client; `answer` turns them into text for the model.
 */
export interface AgentTool {
  name: string;
  title: string;
  /** For the model: when to call it and what it returns. */
  description: string;
  /** For people, in VS Code's tool picker. */
  userDescription: string;
  /** `#name` in VS Code's chat. */
  referenceName: string;
  inputSchema: ToolInputSchema;
  answer(client: ControlClient, input: Record<string, unknown>, cwd: string): Promise<ToolAnswer>;
}

const TIMEOUT_INPUT = {
  timeoutSeconds: { type: 'number', minimum: 1, description: 'How long to wait at most, in seconds (default 60).' },
} as const;

function timeoutMs(input: Record<string, unknown>): number {
  const seconds = input.timeoutSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 3600) * 1000 : 60_000;
}

/** Waits until what is on disk serves: the version and address, or why not (a timeout or a stop is a tool error). */
async function waitAnswer(client: Parameters<AgentTool['answer']>[0], input: Record<string, unknown>, cwd: string) {
  const result = await client.wait(timeoutMs(input));
  return { text: waitText(result, cwd), isError: result.outcome === 'timeout' || result.outcome === 'stopped' };
}

export const AGENT_TOOLS: readonly AgentTool[] = [
  {
    name: 'hotreload_wait',
    title: 'Wait for the reload',
    userDescription: 'Wait until the code on disk serves; the build errors or the crash if it cannot.',
    referenceName: 'hotreloadWait',
    description:
      'Call after editing files of a project that runs under Hot Reload: waits until the code now on disk is built and serving, then returns the version and the address to request. When it cannot serve, returns the build errors as file:line:col: message, or the crash on start with its panic line. Returns at once when nothing changed.',
    inputSchema: { type: 'object', properties: { ...TIMEOUT_INPUT }, additionalProperties: false },
    answer: waitAnswer,
  },
  {
    name: 'hotreload_status',
    title: 'Hot Reload status',
    userDescription: 'State, version, address, last reload and current errors of the Hot Reload session.',
    referenceName: 'hotreloadStatus',
    description:
      'The state of the Hot Reload session for this project: running, building, failed or crashed; the version serving, its pid and address, the run strategy, the last reload with its timings, and the current build errors.',
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    async answer(client, _input, cwd) {
      return { text: statusText(await client.status(), client.hello.root, cwd), isError: false };
    },
  },
  {
    name: 'hotreload_errors',
    title: 'Build errors',
    userDescription: 'The current build errors or crash, as file:line:col: message.',
    referenceName: 'hotreloadErrors',
    description:
      'The current build errors, or the crash on start, of the program Hot Reload runs for this project, as file:line:col: message. Says so when there are none.',
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    async answer(client, _input, cwd) {
      const status = await client.status();
      if (status.errors.length === 0)
        return { text: `no errors: ${status.state}${status.version !== undefined ? ` (v${status.version})` : ''}`, isError: false };
      return { text: [...status.errors.map((p) => problemLine(p, cwd)), ...(status.detail ? [status.detail] : [])].join('\n'), isError: false };
    },
  },
  {
    name: 'hotreload_logs',
    title: 'Recent output',
    userDescription: 'The recent output of the program and the reload log.',
    referenceName: 'hotreloadLogs',
    description:
      "The recent output of the program Hot Reload runs for this project (stdout and stderr as it printed them), with the reload log's lines marked [hotreload].",
    inputSchema: {
      type: 'object',
      properties: {
        lines: { type: 'number', minimum: 1, description: 'How many lines, counted from the end (default 100).' },
        sinceVersion: { type: 'number', minimum: 1, description: 'Only the output of this version and later, and the reload log from then.' },
      },
      additionalProperties: false,
    },
    async answer(client, input) {
      const lines = typeof input.lines === 'number' && input.lines >= 1 ? Math.floor(input.lines) : 100;
      const sinceVersion = typeof input.sinceVersion === 'number' && input.sinceVersion >= 1 ? Math.floor(input.sinceVersion) : undefined;
      const { entries } = await client.logs({ lines, ...(sinceVersion !== undefined ? { sinceVersion } : {}) });
      return { text: logText(entries) || '(no output yet)', isError: false };
    },
  },
  {
    name: 'hotreload_restart',
    title: 'Restart the program',
    userDescription: 'Restart the program, then wait until it serves.',
    referenceName: 'hotreloadRestart',
    description:
      'Restarts the program Hot Reload runs for this project (without a build when no source changed since the running version), then waits until it serves, as hotreload_wait does.',
    inputSchema: { type: 'object', properties: { ...TIMEOUT_INPUT }, additionalProperties: false },
    async answer(client, input, cwd) {
      await client.restart();
      return waitAnswer(client, input, cwd);
    },
  },
];

/** The tools as package.json's `contributes.languageModelTools` declares them (`npm run settings` writes them). */
export function vscodeToolContributions(): Record<string, unknown>[] {
  return AGENT_TOOLS.map((tool) => ({
    name: tool.name,
    displayName: tool.title,
    toolReferenceName: tool.referenceName,
    canBeReferencedInPrompt: true,
    icon: '$(sync)',
    userDescription: tool.userDescription,
    modelDescription: tool.description,
    tags: ['hotreload', 'build', 'run'],
    inputSchema: tool.inputSchema,
  }));
}

/**
 * Runs a tool against the session for the first of `queries` that has one (connecting for this one
 * call: an editor with several folders tries the active one first); failures become an error answer.
 */
export async function runAgentTool(name: string, input: Record<string, unknown>, queries: SessionQuery | readonly SessionQuery[]): Promise<ToolAnswer> {
  const tool = AGENT_TOOLS.find((t) => t.name === name);
  if (!tool) return { text: `unknown tool ${name}`, isError: true };
  const all = Array.isArray(queries) ? (queries as readonly SessionQuery[]) : [queries as SessionQuery];
  let client: ControlClient | undefined;
  let query: SessionQuery | undefined;
  let failure: Error | undefined;
  for (const candidate of all) {
    try {
      client = await ControlClient.connect(candidate);
      query = candidate;
      break;
    } catch (err) {
      // A folder with no session: the next may have one. Anything else is the answer.
      if (!failure || !(err instanceof ControlError && err.code === 'no-session')) failure = err as Error;
      if (!(err instanceof ControlError && err.code === 'no-session')) break;
    }
  }
  if (!client || !query) {
    const noSession = failure instanceof ControlError && failure.code === 'no-session';
    const hint = noSession ? ': start it with `hotreload` in the project folder, or Hot Reload: Start in VS Code' : '';
    return { text: `${failure?.message ?? 'no folder to look in'}${hint}`, isError: true };
  }
  try {
    return await tool.answer(client, input, query.cwd);
  } catch (err) {
    return { text: (err as Error).message, isError: true };
  } finally {
    client.dispose();
  }
}

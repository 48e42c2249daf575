/**
 * `hotreload mcp`: an MCP server on stdio (the official TypeScript SDK) whose tools drive the Hot
 * Reload session of the folder it starts in (or --root): wait for the reload after an edit, status,
 * build errors, recent output, restart. Each call connects to the session's control endpoint
 * afresh, so the server outlives sessions that stop and start. Bundled on its own (dist/mcp.js)
 * and loaded by the CLI only for this subcommand.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { AGENT_TOOLS, runAgentTool, type SessionQuery } from '../engine';

/** Serves until the client closes stdin; resolves with the exit code. */
export async function serveMcp(argv: string[], cwd: string, version: string): Promise<number> {
  let query: SessionQuery;
  try {
    const { values } = parseArgs({ args: argv, strict: true, options: { root: { type: 'string' }, service: { type: 'string' } } });
    query = { cwd: path.resolve(cwd, values.root ?? '.'), orInside: true, ...(values.service !== undefined ? { service: values.service } : {}) };
  } catch (err) {
    process.stderr.write(`hotreload mcp: ${(err as Error).message}\nUsage: hotreload mcp [--root <dir>] [--service <name>]\n`);
    return 2;
  }
  const server = new Server(
    { name: 'hotreload', title: 'Hot Reload', version },
    {
      capabilities: { tools: {} },
      instructions:
        'Hot Reload rebuilds and restarts the program of this project when its files change. After editing files, call hotreload_wait: it returns once the new code serves (with its address), or the build errors or the crash.',
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: AGENT_TOOLS.map((tool) => ({ name: tool.name, title: tool.title, description: tool.description, inputSchema: tool.inputSchema })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const answer = await runAgentTool(request.params.name, request.params.arguments ?? {}, query);
    return { content: [{ type: 'text' as const, text: answer.text }], isError: answer.isError };
  });
  const closed = new Promise<void>((resolve) => (server.onclose = () => resolve()));
  // The client closing our stdin is the end of the session (the SDK's stdio transport does not watch for it).
  process.stdin.once('end', () => void server.close());
  await server.connect(new StdioServerTransport());
  await closed;
  return 0;
}

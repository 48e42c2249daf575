/**
 * The proxy strategy's most common surprise: a program that listens on a port of its own choosing
 * instead of the one in PORT. It either collides with the proxy (or anything else) and dies with
 * "address already in use", or serves somewhere the proxy never looks. Both are told apart here from
 * a bare crash or a slow start, so the user reads what happened and the two ways out.
 */

/** What a version that did not serve on its PORT did instead. */
export type PortMistake =
  /** Its own "address already in use": it tried a port that was taken (port 0: the output did not say which). */
  | { kind: 'in-use'; port: number }
  /** It ran, but nothing accepted connections on the port it was given; `elsewhere`: the ports it listens on instead. */
  | { kind: 'not-listening'; elsewhere: number[] };

/** The port of a program's own "address already in use" in `output` (Go's net package, Node's EADDRINUSE). */
export function addressInUse(output: string): { port: number } | undefined {
  // Go: "listen tcp :8080: bind: address already in use"; Node: "Error: listen EADDRINUSE: address already in use :::8080".
  const go = /listen tcp[46]? \S*?:(\d+): bind: address already in use/.exec(output);
  if (go) return { port: Number(go[1]) };
  const node = /EADDRINUSE: address already in use \S*?:(\d+)/.exec(output);
  if (node) return { port: Number(node[1]) };
  return /address already in use|EADDRINUSE/i.test(output) ? { port: 0 } : undefined;
}

export interface MistakeContext {
  version: number;
  mistake: PortMistake;
  /** The port in its PORT. */
  given: number;
  /** The proxy's own port. */
  proxyPort: number | undefined;
  readyTimeoutMs: number;
  /** What still serves, said after what happened ("; v1 keeps serving"), or ''. */
  keeps: string;
}

const PORT_FIXES =
  'With the proxy strategy the program must listen on the port in the PORT environment variable (a fresh one per version): make it read PORT, or set strategy to restart or handoff';

/** The sentence for the log, the status bar's tooltip and Problems. */
export function describeMistake(c: MistakeContext): string {
  if (c.mistake.kind === 'in-use') {
    const port = c.mistake.port;
    const holder = port !== 0 && port === c.proxyPort ? ' (the proxy listens there)' : '';
    const which = port !== 0 ? `port ${port}` : 'its port';
    return `v${c.version} could not listen on ${which}: address already in use${holder}${c.keeps}. It listens on a fixed port instead of the one it was given in PORT (${c.given}). ${PORT_FIXES}`;
  }
  const elsewhere = c.mistake.elsewhere;
  if (elsewhere.length > 0)
    return `v${c.version} listens on ${ports(elsewhere)} instead of the one it was given in PORT (${c.given}), so the proxy cannot reach it; it was stopped after ${c.readyTimeoutMs} ms${c.keeps}. ${PORT_FIXES}`;
  return `v${c.version} did not accept connections on port ${c.given} (the PORT it was given) within ${c.readyTimeoutMs} ms, so it was stopped${c.keeps}. ${PORT_FIXES} (or raise readyTimeoutMs if it is only slow to start)`;
}

/** A few words for the status bar. */
export function mistakeHeadline(mistake: PortMistake): string {
  if (mistake.kind === 'in-use') return mistake.port !== 0 ? `port ${mistake.port} in use` : 'port in use';
  return mistake.elsewhere.length > 0 ? `listening on ${mistake.elsewhere[0]}, not PORT` : 'not listening on PORT';
}

function ports(list: number[]): string {
  return list.length === 1 ? `port ${list[0]}` : `ports ${list.join(', ')}`;
}

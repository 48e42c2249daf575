import type { Settings } from '../settings/types';
import { LOOPBACK, parseListenAddress, type ListenAddress } from '../settings/listenAddress';

export { formatAddress, LOOPBACK, parseListenAddress, type ListenAddress } from '../settings/listenAddress';

export interface PublicAddress extends ListenAddress {
  /** Which setting gave the port, for messages: "listenAddress", "proxyPort", "appPort", "PORT", "default". */
  source: string;
}

/** The URL a browser opens for a listening address. */
export function pageUrl(address: ListenAddress): string {
  const { host, port } = address;
  const name = host === '' || host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}/`;
}

/** The port used when nothing says otherwise, like most Go HTTP examples. */
const DEFAULT_PUBLIC_PORT = 8080;

/**
 * Where a program that opens its own port is reached (restart): `appPort`, else the `PORT` its
 * environment sets, else 8080, on every interface. A guess for programs that ignore all three.
 */
export function programAddress(settings: Pick<Settings, 'appPort' | 'env'>, programEnv: Record<string, string | undefined> = {}): PublicAddress {
  if (settings.appPort !== undefined) return { host: '', port: settings.appPort, source: 'appPort' };
  return envPort(settings, programEnv) ?? { host: '', port: DEFAULT_PUBLIC_PORT, source: 'default' };
}

function envPort(settings: Pick<Settings, 'env'>, programEnv: Record<string, string | undefined>): PublicAddress | undefined {
  const text = settings.env.PORT ?? programEnv.PORT;
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  const n = Number(text.trim());
  return n >= 1 && n <= 65535 ? { host: '', port: n, source: 'PORT' } : undefined;
}

/**
 * The host the engine's sockets for the program (the proxy's port, the handoff socket, browser
 * reload's proxy) listen on when the user names none: loopback, as Vite does, so a dev build and
 * its debug pages are not on the network; over SSH loopback of that host (reached from here through
 * a forwarded port, `ssh -L`). In a container, every interface of the container instead: its own
 * network namespace is the boundary, and its loopback cannot be reached through the ports the user
 * publishes (`docker run -p 8080:8080`), which is how a container's program is reached. A container
 * on the host's network that must stay private names 127.0.0.1 in listenAddress.
 */
export function defaultListenHost(settings: Partial<Pick<Settings, 'container' | 'composeService'>>): string {
  return settings.container || settings.composeService ? '' : LOOPBACK;
}

/** The host a listenAddress names, else the default one. */
export function listenHost(settings: Partial<Pick<Settings, 'container' | 'composeService'>> & { listenAddress?: string }): string {
  const parsed = settings.listenAddress !== undefined ? parseListenAddress(settings.listenAddress) : undefined;
  return typeof parsed === 'object' && parsed.host !== '' ? parsed.host : defaultListenHost(settings);
}

/**
 * The public address of the handoff and proxy strategies, in this order:
 *
 * 1. `listenAddress` (host and port);
 * 2. `proxyPort` (air's `proxy.proxy_port`: the port the browser uses);
 * 3. for handoff only, `appPort`: with handoff the program's own port is the public one (the proxy
 *    strategy gives the program a port of its own, so there `appPort` is where the program listens);
 * 4. `PORT` in the program's environment (settings `env`, then the env files, then the engine's own
 *    environment), so a program that reads PORT is reached where it would be without the engine;
 * 5. 8080.
 *
 * The host is the one `listenAddress` names, else loopback (defaultListenHost).
 */
export function publicAddress(
  settings: Pick<Settings, 'proxyPort' | 'appPort' | 'env'> & Partial<Pick<Settings, 'container' | 'composeService'>> & { listenAddress?: string },
  strategy: 'handoff' | 'proxy',
  programEnv: Record<string, string | undefined> = {},
): PublicAddress {
  const host = listenHost(settings);
  if (settings.listenAddress !== undefined) {
    const parsed = parseListenAddress(settings.listenAddress);
    if (typeof parsed === 'string') throw new Error(parsed);
    return { host, port: parsed.port, source: 'listenAddress' };
  }
  if (settings.proxyPort !== undefined) return { host, port: settings.proxyPort, source: 'proxyPort' };
  if (strategy === 'handoff' && settings.appPort !== undefined) return { host, port: settings.appPort, source: 'appPort' };
  return { ...(envPort(settings, programEnv) ?? { port: DEFAULT_PUBLIC_PORT, source: 'default' }), host };
}

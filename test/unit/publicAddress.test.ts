import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultListenHost, formatAddress, listenHost, LOOPBACK, parseListenAddress, publicAddress } from '../../src/engine/strategies/publicAddress';

test('parseListenAddress: ports, hosts, IPv6 in brackets', () => {
  assert.deepEqual(parseListenAddress('8080'), { host: '', port: 8080 });
  assert.deepEqual(parseListenAddress(':8080'), { host: '', port: 8080 });
  assert.deepEqual(parseListenAddress('127.0.0.1:9000'), { host: '127.0.0.1', port: 9000 });
  assert.deepEqual(parseListenAddress('localhost:0'), { host: 'localhost', port: 0 });
  assert.deepEqual(parseListenAddress('[::1]:8080'), { host: '::1', port: 8080 });
  assert.deepEqual(parseListenAddress(' :80 '), { host: '', port: 80 });
});

test('parseListenAddress: mistakes are explained', () => {
  assert.match(parseListenAddress('localhost') as string, /has no port/);
  assert.match(parseListenAddress('::1:8080') as string, /in brackets/);
  assert.match(parseListenAddress(':http') as string, /not a number/);
  assert.match(parseListenAddress(':70000') as string, /from 0 to 65535/);
  assert.match(parseListenAddress('[nope]:80') as string, /not an IPv6 address/);
  assert.match(parseListenAddress('bad host:80') as string, /neither an IP address nor a host name/);
});

test('formatAddress', () => {
  assert.equal(formatAddress({ host: '', port: 8080 }), ':8080');
  assert.equal(formatAddress({ host: '::1', port: 1 }), '[::1]:1');
  assert.equal(formatAddress({ host: '127.0.0.1', port: 2 }), '127.0.0.1:2');
});

test('publicAddress: listenAddress, then proxyPort, then appPort (handoff only), then PORT, then 8080', () => {
  const base = { env: {} as Record<string, string> };
  assert.deepEqual(publicAddress({ ...base, listenAddress: '127.0.0.1:1', proxyPort: 2, appPort: 3 }, 'handoff'), {
    host: '127.0.0.1',
    port: 1,
    source: 'listenAddress',
  });
  assert.deepEqual(publicAddress({ ...base, proxyPort: 2, appPort: 3 }, 'proxy'), { host: LOOPBACK, port: 2, source: 'proxyPort' });
  assert.deepEqual(publicAddress({ ...base, appPort: 3 }, 'handoff'), { host: LOOPBACK, port: 3, source: 'appPort' });
  // For the proxy, appPort is where the program listens, never the public port.
  assert.deepEqual(publicAddress({ ...base, appPort: 3 }, 'proxy', { PORT: '4' }), { host: LOOPBACK, port: 4, source: 'PORT' });
  assert.deepEqual(publicAddress({ env: { PORT: '5' } }, 'proxy', { PORT: '4' }), { host: LOOPBACK, port: 5, source: 'PORT' }, 'settings env wins');
  assert.deepEqual(publicAddress(base, 'handoff', { PORT: 'http' }), { host: LOOPBACK, port: 8080, source: 'default' });
  assert.deepEqual(publicAddress(base, 'handoff', {}), { host: LOOPBACK, port: 8080, source: 'default' });
  assert.throws(() => publicAddress({ ...base, listenAddress: 'nope' }, 'proxy'), /has no port/);
});

test('the host: loopback unless one is named (":8080" names none); in a container every interface of it', () => {
  const base = { env: {} as Record<string, string> };
  assert.equal(LOOPBACK, 'localhost');
  assert.equal(publicAddress({ ...base, listenAddress: ':9000' }, 'proxy').host, LOOPBACK);
  assert.equal(publicAddress({ ...base, listenAddress: '0.0.0.0:9000' }, 'proxy').host, '0.0.0.0');
  assert.equal(publicAddress({ ...base, listenAddress: '[::]:9000' }, 'handoff').host, '::');
  assert.equal(publicAddress({ ...base, container: 'web-1' }, 'handoff').host, '', 'a container: its every interface');
  assert.equal(publicAddress({ ...base, composeService: 'web' }, 'handoff').host, '');
  assert.equal(publicAddress({ ...base, container: 'web-1', listenAddress: '127.0.0.1:80' }, 'handoff').host, '127.0.0.1');
  assert.equal(defaultListenHost({}), LOOPBACK, 'this machine, or an SSH host');
  assert.equal(listenHost({ listenAddress: ':1' }), LOOPBACK);
  assert.equal(listenHost({ listenAddress: '10.0.0.2:1' }), '10.0.0.2');
});

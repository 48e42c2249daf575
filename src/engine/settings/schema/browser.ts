import { flag, optionalNumber } from './spec';

/** Browser reload: pages that follow the program, served through the engine's proxy. */
export const BROWSER = {
  browserReload: flag({
    group: 'browser',
    default: false,
    doc: 'Reload the program’s pages in the browser once a new version serves, swap changed stylesheets in place without a rebuild, and show build errors and crashes over the page. Pages are served through the engine’s proxy: the proxy strategy’s own port, or for restart and handoff a proxy on `#hotReload.browserPort#` in front of the program (**Hot Reload: Open in Browser** opens it).',
    vscode: true,
    cli: { flag: 'browser-reload', sets: true, help: 'reload pages in the browser when a new version serves' },
    air: { keys: ['proxy.enabled'] },
  }),
  browserPort: optionalNumber({
    group: 'browser',
    minimum: 1,
    maximum: 65535,
    integer: true,
    doc: 'For `#hotReload.browserReload#` with the restart and handoff strategies: the port of the engine’s proxy in front of your program (which is reached on `#hotReload.appPort#`, else the `PORT` its environment sets, else 8080). Empty: the port it had the last time in this project, else a free one. With the proxy strategy pages are served on its own port.',
    vscode: true,
    cli: { flag: 'browser-port', arg: 'port', takes: 'integer' },
  }),
};

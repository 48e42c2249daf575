/**
 * End to end: a program that prints many lines per second, in a desktop-sized workbench, its
 * terminal never clicked: how old is the newest line the terminal shows? Prints the lag figures.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { clickStatusItem, waitForStatus } from './hotReloadStatus';
import { makeWorkspace, skip, withWorkbench } from './hotReloadUi';
import type { Page } from './playwright';

const RATE = Number(process.env.HR_FLOW_RATE ?? 1000);

const MAIN = `package main

import (
\t"fmt"
\t"os"
\t"strings"
\t"time"
)

func main() {
\tpad := strings.Repeat("-", 40)
\tfor i := 0; ; i++ {
\t\tfmt.Fprintf(os.Stdout, "tick %d at %d %s\\n", i, time.Now().UnixMilli(), pad)
\t\tif i%${RATE / 100} == 0 {
\t\t\ttime.Sleep(10 * time.Millisecond)
\t\t}
\t}
}
`;

async function newestTick(page: Page): Promise<{ seq: number; at: number } | undefined> {
  return page.evaluate(`(() => {
    const rows = document.querySelector('.part.panel .terminal-wrapper.active .xterm-rows') || document.querySelector('.part.panel .xterm-rows');
    if (!rows) return undefined;
    let best;
    for (const m of rows.innerText.matchAll(/tick (\\d+) at (\\d+)/g)) {
      const seq = Number(m[1]);
      if (!best || seq > best.seq) best = { seq, at: Number(m[2]) };
    }
    return best;
  })()`);
}

test('a program printing many lines a second: the terminal follows without a click', { skip, timeout: 240_000 }, async (t) => {
  await withWorkbench(
    t,
    { prefix: 'terminal-flow', workspace: (port) => makeWorkspace('flood', port, { files: { 'main.go': MAIN } }), viewport: { width: 1920, height: 1080 } },
    async ({ vs, page, shot, step }) => {
      await clickStatusItem(page);
      await waitForStatus(page, (s) => s.icons.includes('zap') && /^v1 · /.test(s.text), 60_000, 'running v1');
      step('running');
      let last = -1;
      const sample = async (phase: string, n: number) => {
        const lags: number[] = [];
        for (let i = 0; i < n; i++) {
          await sleep(250);
          const tick = await newestTick(page);
          const now = Date.now();
          if (!tick) {
            console.log(`# ${phase} sample ${i}: no tick`);
            continue;
          }
          lags.push(now - tick.at);
          console.log(`# ${phase} sample ${i} seq ${tick.seq} lag ${now - tick.at} ms`);
          last = tick.seq;
        }
        lags.sort((a, b) => a - b);
        console.log(`# ${phase} lag: median ${lags[lags.length >> 1]} ms, p90 ${lags[Math.floor(lags.length * 0.9)]} ms, max ${lags[lags.length - 1]} ms`);
      };
      await sample('first', 12);
      const other = await vs.context.newPage();
      await other.goto('about:blank');
      await other.bringToFront();
      console.log(`# visibility while the other tab is in front: ${await page.evaluate<string>('document.visibilityState')}`);
      await sleep(Number(process.env.HR_FLOW_AWAY_MS ?? 15000));
      await page.bringToFront();
      console.log(`# visibility back: ${await page.evaluate<string>('document.visibilityState')}`);
      await sample('back', 40);
      await shot('02-back');
      assert.ok(last > 0);
    },
  );
});

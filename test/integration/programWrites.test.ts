/**
 * A Go program that keeps a database in its own folder (a file held open for writing, its journal
 * coming and going, a log appended to), watched with every extension counting: its writes never
 * reload it, the log says which files were learnt, and an edit of its source still reloads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSession } from './harness';
import { tempDir } from '../support/files';
import { httpGet } from '../support/http';
import { eventually } from '../support/waiting';

const MAIN = (answer: string) => `package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"
)

var writes atomic.Int64

// keepDatabase writes as an embedded database does: the file stays open, a journal lives for each transaction.
func keepDatabase() {
	_ = os.MkdirAll("data", 0o755)
	db, err := os.OpenFile(filepath.Join("data", "app.db"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		panic(err)
	}
	logFile, err := os.OpenFile("app.log", os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		panic(err)
	}
	for i := 0; ; i++ {
		journal, err := os.Create(filepath.Join("data", "app.db-journal"))
		if err == nil {
			fmt.Fprintf(journal, "tx %d", i)
			fmt.Fprintf(db, "row %d\\n", i)
			time.Sleep(20 * time.Millisecond)
			journal.Close()
			os.Remove(filepath.Join("data", "app.db-journal"))
		}
		fmt.Fprintf(logFile, "wrote row %d\\n", i)
		writes.Add(1)
		time.Sleep(80 * time.Millisecond)
	}
}

func main() {
	go keepDatabase()
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, ${JSON.stringify(answer)}) })
	http.HandleFunc("/writes", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, writes.Load()) })
	_ = http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), nil)
}
`;

test('what the program writes in its folder (a database, its journal, a log) never reloads it; an edit still does', async () => {
  const dir = tempDir('hr-writes-');
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/writes\n\ngo 1.19\n');
  fs.writeFileSync(path.join(dir, 'main.go'), MAIN('v1'));
  // Every file counts, as with air's include_ext listing them or a user's wide extension list.
  const { t, port } = await startSession(dir, { strategy: 'restart', extensions: [] });
  try {
    assert.equal((await eventually('v1 answers', () => httpGet(port))).body, 'v1');
    const learnt = (name: string) => t.events.some((e) => e.type === 'log' && e.message.startsWith(`ignoring changes to ${name}`));
    await eventually('the database and the log are learnt', () => (learnt(path.join('data', 'app.db')) && learnt('app.log')) || undefined);
    // 20 more transactions, each a journal created, written, removed, and a write to the database and the log.
    const from = Number((await httpGet(port, '/writes')).body);
    await eventually('20 more writes', async () => (Number((await httpGet(port, '/writes')).body) >= from + 20 ? true : undefined), { timeoutMs: 30000 });
    assert.deepEqual(
      t.reports().map((r) => r.outcome),
      ['started'],
      'the program reloaded itself by writing its own files',
    );

    fs.writeFileSync(path.join(dir, 'main.go'), MAIN('v2'));
    const second = await t.report(2);
    assert.equal(second.outcome, 'restarted');
    assert.deepEqual(
      second.changedFiles.map((f) => path.relative(dir, f.path)),
      ['main.go'],
    );
    assert.equal(await eventually('v2 answers', async () => ((await httpGet(port)).body === 'v2' ? 'yes' : undefined)), 'yes');
    const after = Number((await httpGet(port, '/writes')).body);
    await eventually('v2 writes 10 times', async () => (Number((await httpGet(port, '/writes')).body) >= after + 10 ? true : undefined), { timeoutMs: 30000 });
    assert.equal(t.reports().length, 2, 'the new version reloaded itself by writing its own files');
  } finally {
    await t.dispose();
  }
});

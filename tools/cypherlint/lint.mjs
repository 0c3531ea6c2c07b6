// Lint Cypher statements with Neo4j's own language support library, offline.
//
// stdin:  {"statements": [{"name": "...", "query": "..."}],
//          "schema": {"labels": [...], "relationshipTypes": [...], "propertyKeys": [...],
//                     "parameters": {...}}}   (schema optional)
// stdout: [{"name": "...", "diagnostics": [{"severity": 1, "message": "...", "start": 0, "end": 4}]}]
//
// Severity 1 is an error, 2 a warning. Statements are checked as Cypher 5, and function and
// procedure names against the Neo4j 5 registry the library ships for its own tests, so a misspelt
// procedure is an error too. The semantic analysis costs ~0.1 s a statement, so long lists are
// shared among worker threads, one per core.
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { lintCypherQuery, testData } from '@neo4j-cypher/language-support';

const CYPHER_VERSION = 'CYPHER 5';
const PER_WORKER_MIN = 16;

function buildSchema(given) {
  const registry = testData.mockSchema;
  const schema = {
    defaultLanguage: CYPHER_VERSION,
    functions: { [CYPHER_VERSION]: registry.functions[CYPHER_VERSION] },
    procedures: { [CYPHER_VERSION]: registry.procedures[CYPHER_VERSION] },
    parameters: {},
  };
  for (const key of ['labels', 'relationshipTypes', 'propertyKeys', 'parameters']) {
    if (given && given[key] !== undefined) schema[key] = given[key];
  }
  return schema;
}

function lintAll(statements, schema) {
  return statements.map(({ name, query }) => ({
    name,
    diagnostics: lintCypherQuery(query, schema, { consoleCommandsEnabled: false }).diagnostics.map((d) => ({
      severity: d.severity,
      message: d.message,
      start: d.offsets.start,
      end: d.offsets.end,
    })),
  }));
}

function inWorker(statements, schema) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { statements, schema } });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`lint worker exited with ${code}`)));
  });
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

if (!isMainThread) {
  parentPort.postMessage(lintAll(workerData.statements, workerData.schema));
} else {
  const input = JSON.parse(await readStdin());
  if (!Array.isArray(input.statements)) {
    process.stderr.write('expected {"statements": [{"name": ..., "query": ...}], "schema": {...}}\n');
    process.exit(2);
  }
  const schema = buildSchema(input.schema);
  const workers = Math.max(1, Math.min(availableParallelism(), Math.floor(input.statements.length / PER_WORKER_MIN)));
  let report;
  if (workers === 1) {
    report = lintAll(input.statements, schema);
  } else {
    const shares = Array.from({ length: workers }, (_, w) => input.statements.filter((_, i) => i % workers === w));
    const results = await Promise.all(shares.map((share) => inWorker(share, schema)));
    const byName = new Map(results.flat().map((item) => [item.name, item]));
    report = input.statements.map(({ name }) => byName.get(name));
  }
  process.stdout.write(JSON.stringify(report) + '\n');
}

// Lint Cypher statements with Neo4j's own language support library, offline.
//
// stdin:  {"statements": [{"name": "...", "query": "..."}],
//          "schema": {"labels": [...], "relationshipTypes": [...], "propertyKeys": [...],
//                     "parameters": {...}}}   (schema optional)
// stdout: [{"name": "...", "diagnostics": [{"severity": 1, "message": "...", "start": 0, "end": 4}]}]
//
// Severity 1 is an error, 2 a warning. Function and procedure names are checked against the
// Neo4j 5 registry the library ships for its own tests, so a misspelt procedure is an error too.
import { lintCypherQuery, testData } from '@neo4j-cypher/language-support';

const CYPHER_VERSION = 'CYPHER 5';

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

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

const input = JSON.parse(await readStdin());
if (!Array.isArray(input.statements)) {
  process.stderr.write('expected {"statements": [{"name": ..., "query": ...}], "schema": {...}}\n');
  process.exit(2);
}
const schema = buildSchema(input.schema);
const report = input.statements.map(({ name, query }) => ({
  name,
  diagnostics: lintCypherQuery(query, schema, { consoleCommandsEnabled: false }).diagnostics.map((d) => ({
    severity: d.severity,
    message: d.message,
    start: d.offsets.start,
    end: d.offsets.end,
  })),
}));
process.stdout.write(JSON.stringify(report) + '\n');

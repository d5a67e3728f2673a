// Runs the graphql-http audit suite against a GraphQL-over-HTTP endpoint and
// prints one line per audit. Exit code 1 when any MUST or SHOULD audit fails.
//   node audit.mjs http://127.0.0.1:8080/graphql
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}
const results = await auditServer({ url });
let failed = 0;
const counts = {};
for (const r of results) {
  const level = r.name.split(' ')[0];
  counts[`${level} ${r.status}`] = (counts[`${level} ${r.status}`] || 0) + 1;
  if (r.status !== 'ok' && (level === 'MUST' || level === 'SHOULD')) failed++;
  const why = r.status === 'ok' ? '' : ` -- ${r.reason}`;
  console.log(`${r.status}\t${r.id}\t${r.name}${why}`);
}
console.log(JSON.stringify(counts));
process.exit(failed ? 1 : 0);

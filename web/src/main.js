// The leydigkg playground: GraphiQL, bundled with its editor workers and
// styles so that the page needs nothing but the server that serves it.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';

const endpoint = new URL('graphql', document.baseURI).toString();

// fetcher speaks GraphQL over HTTP: POST with JSON, asking for the
// application/graphql-response+json media type.
async function fetcher(params, opts) {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/graphql-response+json, application/json;q=0.9',
      ...(opts && opts.headers),
    },
    body: JSON.stringify(params),
  });
  return res.json();
}

async function main() {
  // The example query comes from the server, which owns its text.
  let example = '';
  try {
    const res = await fetch(new URL('example.graphql', document.baseURI));
    if (res.ok) example = await res.text();
  } catch {
    // The playground still works without it.
  }
  createRoot(document.getElementById('graphiql')).render(
    createElement(GraphiQL, {
      fetcher,
      defaultQuery: example,
      defaultEditorToolsVisibility: false,
      isHeadersEditorEnabled: true,
    }),
  );
}

main();

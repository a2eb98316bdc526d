// Starts GraphiQL against this server's own /graphql (same origin: no CDN, no other host).
// Kept out of index.html so the page's Content-Security-Policy can forbid inline scripts.
(function () {
  "use strict";
  var endpoint = window.location.origin + window.location.pathname;
  var socket = new URL(endpoint);
  socket.protocol = socket.protocol === "https:" ? "wss:" : "ws:";
  var fetcher = GraphiQL.createFetcher({
    url: endpoint,
    subscriptionUrl: socket.toString(),
  });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultEditorToolsVisibility: true,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
      inputValueDeprecation: true,
      // public data needs no token; signed in: {"Authorization": "Bearer <access_token>"}
      // in the headers editor (not persisted: a token stays out of localStorage)
    })
  );
})();

'use strict';
// A starter back end for Flinks, written by flinks-onboard backend. It uses Node's standard library only (Node 18
// or later). Configure it with the environment (config.js) and run: node server.js

const http = require('node:http');
const { loadConfig } = require('./config');
const { createApp } = require('./app');

function main() {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
  const app = createApp(config);
  const server = http.createServer(app.handle);
  // Only this computer can reach it; put it behind your HTTPS front end to serve it (PORT=0: any free port).
  server.listen(config.port, '127.0.0.1', () => {
    // The first line of output (the log goes to stderr), which the tests read the port from.
    console.log(`listening on http://127.0.0.1:${server.address().port}`);
    console.error(`Flinks API ${config.apiURL}, product ${config.product}`);
  });
  server.on('error', (err) => {
    console.error(`cannot listen on 127.0.0.1:${config.port}: ${err.message}`);
    process.exit(1);
  });
}

if (require.main === module) main();

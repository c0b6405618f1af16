// Drives the official Node.js SDK (@volcengine/openapi) against a GetSnapshotTask endpoint.
// Reads one JSON job on stdin (keys travel there, never in argv):
//   {"host": "127.0.0.1:8000", "calls": [{"region", "accessKeyId", "secretKey",
//    "sessionToken"?, "query": {"AppId", "RoomId", "TaskId"}}]}
// and prints one JSON array: for each call, {"body": <answer>} or {"error": "<message>"}.
"use strict";

const { RtcService } = require("@volcengine/openapi/lib/services/rtc");

async function call(host, spec) {
  const service = new RtcService({
    host,
    protocol: "http:",
    region: spec.region,
    accessKeyId: spec.accessKeyId,
    secretKey: spec.secretKey,
    sessionToken: spec.sessionToken,
  });
  const getSnapshotTask = service.createAPI("GetSnapshotTask", {
    method: "GET",
    Version: "2023-11-01",
  });
  try {
    return { body: await getSnapshotTask(spec.query) };
  } catch (error) {
    return { error: String(error && error.message ? error.message : error) };
  }
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const job = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const results = [];
  // One call at a time, as a script would make them; the answers keep the calls' order.
  for (const spec of job.calls) results.push(await call(job.host, spec));
  process.stdout.write(JSON.stringify(results));
}

main().catch((error) => {
  process.stderr.write(`driver failed: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});

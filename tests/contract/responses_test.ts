import assert from "node:assert/strict";
import OpenAI from "openai";
import { startGateway } from "./gateway.ts";
import { ANSWER, assertError, post } from "./http_client.ts";

/** The `data:` of each event of a Responses stream, parsed, with its `event:` name checked. */
function events(text: string): Record<string, unknown>[] {
  return text.split("\n\n").filter((block) => block.startsWith("event: ")).map((block) => {
    const [name, data] = block.split("\n");
    const event = JSON.parse(data!.slice("data: ".length));
    assert.equal(name, `event: ${event.type}`);
    return event;
  });
}

const PNG =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

Deno.test("POST /v1/responses", async (t) => {
  await using gw = await startGateway({ AI_ENGINE_BOTS: "default,support", API_KEYS: "test-key" });
  const openai = new OpenAI({ baseURL: `${gw.base}/v1`, apiKey: "test-key", maxRetries: 0 });
  const auth = { authorization: "Bearer test-key" };
  const submitted = () => gw.site.submits.at(-1)!.body as Record<string, unknown>;

  await t.step("a streamed answer is the event sequence, numbered, ending completed", async () => {
    const response = await post(gw.base, "/v1/responses", {
      model: "default",
      input: "Hello",
      stream: true,
    }, { headers: auth });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/);
    const all = events(await response.text());
    const types = all.map((event) => event.type);
    const deltas = types.filter((type) => type === "response.output_text.delta").length;
    assert.ok(deltas >= 2, "the answer came in one piece");
    assert.deepEqual(types, [
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      ...Array(deltas).fill("response.output_text.delta"),
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    assert.deepEqual(all.map((event) => event.sequence_number), all.map((_, i) => i));
    const text = all.filter((e) => e.type === "response.output_text.delta").map((e) => e.delta);
    assert.equal(text.join(""), ANSWER);
    const completed = all.at(-1)!.response as OpenAI.Responses.Response;
    assert.equal(completed.status, "completed");
    assert.match(completed.id, /^resp_/);
    assert.equal(completed.id, (all[0]!.response as { id: string }).id);
    const message = completed.output[0] as OpenAI.Responses.ResponseOutputMessage;
    assert.deepEqual(message.content[0], {
      type: "output_text",
      annotations: [],
      logprobs: [],
      text: ANSWER,
    });
    const usage = completed.usage!;
    assert.ok(usage.total_tokens > 0);
    assert.equal(usage.total_tokens, usage.input_tokens + usage.output_tokens);
  });

  await t.step("openai-node gets a whole response, its output_text and usage", async () => {
    const response = await openai.responses.create({
      model: "support",
      instructions: "Be brief",
      input: "Hello",
      max_output_tokens: 50,
      temperature: 0.2,
    });
    assert.equal(response.object, "response");
    assert.equal(response.status, "completed");
    assert.equal(response.output_text, ANSWER);
    assert.equal(response.instructions, "Be brief");
    assert.ok(response.usage && response.usage.output_tokens > 0);
    assert.equal(submitted().botId, "support");
    assert.equal(submitted().newMessage, "Hello");
    assert.ok(!JSON.stringify(submitted()).includes("Be brief"), "instructions went upstream");
  });

  await t.step(
    "previous_response_id continues the site's conversation with its turns",
    async () => {
      const first = await openai.responses.create({ model: "default", input: "My name is Ada" });
      const chatId = submitted().chatId;
      const stream = await openai.responses.create({
        model: "default",
        input: "What is my name?",
        previous_response_id: first.id,
        stream: true,
      });
      let id = "";
      for await (const event of stream) {
        if (event.type === "response.completed") {
          id = event.response.id;
        }
      }
      assert.equal(submitted().chatId, chatId);
      assert.deepEqual(submitted().messages, [
        { role: "user", content: "My name is Ada" },
        { role: "assistant", content: ANSWER },
      ]);
      await openai.responses.create({
        model: "default",
        input: "And again?",
        previous_response_id: id,
      });
      assert.equal(submitted().chatId, chatId);
      assert.equal((submitted().messages as unknown[]).length, 4);
    },
  );

  await t.step("a forged or altered previous_response_id is a 400 naming it", async () => {
    const { id } = await openai.responses.create({ model: "default", input: "Hi" });
    for (const forged of ["resp_abc", `${id.slice(0, -4)}AAAA`, "chatcmpl-1"]) {
      const error = await assertError(
        await post(gw.base, "/v1/responses", { input: "Hi", previous_response_id: forged }, {
          headers: auth,
        }),
        400,
        "previous_response_not_found",
      );
      assert.equal(error.param, "previous_response_id");
    }
  });

  await t.step("an item_reference to an answer is that answer's text", async () => {
    const first = await openai.responses.create({ model: "default", input: "Hi" });
    await openai.responses.create({
      model: "default",
      input: [
        { role: "user", content: "Hi" },
        { type: "item_reference", id: first.output[0]!.id! },
        { role: "user", content: [{ type: "input_text", text: "More" }] },
      ],
    });
    assert.deepEqual(submitted().messages, [
      { role: "user", content: "Hi" },
      { role: "assistant", content: ANSWER },
    ]);
    const error = await assertError(
      await post(gw.base, "/v1/responses", {
        input: [{ type: "item_reference", id: "msg_unknown" }, { role: "user", content: "Hi" }],
      }, { headers: auth }),
      400,
      "item_not_found",
    );
    assert.equal(error.param, "input[0].id");
  });

  await t.step("an input_image reaches a vision bot through the upload", async () => {
    await openai.responses.create({
      model: "default",
      input: [{
        role: "user",
        content: [
          { type: "input_text", text: "What is this?" },
          { type: "input_image", image_url: PNG, detail: "auto" },
        ],
      }],
    });
    assert.equal(gw.site.files.size, 1);
    assert.equal(submitted().newFileId, [...gw.site.files.keys()][0]);
  });

  await t.step("what AI Engine cannot honour is 400 unsupported_parameter, unasked", async () => {
    const calls = gw.site.submits.length;
    const cases: [Record<string, unknown>, string][] = [
      [{ tools: [{ type: "function", name: "f", parameters: {} }] }, "tools"],
      [{ tool_choice: "required" }, "tool_choice"],
      [{ text: { format: { type: "json_schema", name: "x", schema: {} } } }, "text.format"],
      [{ reasoning: { effort: "high" } }, "reasoning"],
      [{ background: true }, "background"],
      [{ include: ["message.output_text.logprobs"] }, "include"],
      [{ conversation: "conv_1" }, "conversation"],
      [{ input: [{ type: "function_call_output", call_id: "c", output: "x" }] }, "input[0]"],
    ];
    for (const [fields, param] of cases) {
      const error = await assertError(
        await post(gw.base, "/v1/responses", { model: "default", input: "Hi", ...fields }, {
          headers: auth,
        }),
        400,
        "unsupported_parameter",
      );
      assert.equal(error.param, param, JSON.stringify(fields));
    }
    assert.equal(gw.site.submits.length, calls, "the site was asked");
    // What the SDKs send when those features are off passes.
    const passes = await post(gw.base, "/v1/responses", {
      model: "default",
      input: "Hi",
      tools: [],
      text: { format: { type: "text" }, verbosity: "low" },
      reasoning: { effort: "none" },
      store: false,
      include: [],
      parallel_tool_calls: true,
    }, { headers: auth });
    assert.equal(passes.status, 200, await passes.clone().text());
  });

  await t.step("bad input is 400 naming the field; an unknown model 404", async () => {
    const cases: [unknown, string][] = [
      [{}, "input"],
      [{ input: [] }, "input"],
      [{ input: 42 }, "input"],
      [{ input: [{ role: "wizard", content: "Hi" }] }, "input[0].role"],
      [
        { input: [{ role: "user", content: [{ type: "text", text: "Hi" }] }] },
        "input[0].content[0]",
      ],
      [{ input: [{ role: "assistant", content: "Hi" }] }, "input"],
      [{ input: "Hi", stream: "yes" }, "stream"],
      [{ input: "Hi", temperature: "hot" }, "temperature"],
      [{ input: "Hi", instructions: 7 }, "instructions"],
    ];
    for (const [body, param] of cases) {
      const error = await assertError(
        await post(gw.base, "/v1/responses", body, { headers: auth }),
        400,
        "invalid_request",
      );
      assert.equal(error.param, param, JSON.stringify(body));
    }
    await assert.rejects(
      openai.responses.create({ model: "gpt-4o", input: "Hi" }),
      (error) => error instanceof OpenAI.NotFoundError && error.code === "model_not_found",
    );
  });

  await t.step("a response cannot be retrieved, listed or cancelled: a clear 404", async () => {
    for (
      const [method, path] of [
        ["GET", "/v1/responses/resp_1"],
        ["DELETE", "/v1/responses/resp_1"],
        ["GET", "/v1/responses/resp_1/input_items"],
        ["POST", "/v1/responses/resp_1/cancel"],
      ] as const
    ) {
      const response = await fetch(`${gw.base}${path}`, { method, headers: auth });
      const error = await assertError(response, 404, "response_not_found");
      assert.match(error.message, /previous_response_id/);
    }
    await assert.rejects(
      openai.responses.retrieve("resp_1"),
      (error) => error instanceof OpenAI.NotFoundError,
    );
  });

  await t.step("a missing key is 401, as on every /v1 route", async () => {
    await assertError(
      await post(gw.base, "/v1/responses", { input: "Hi" }),
      401,
      "invalid_api_key",
    );
  });
});

Deno.test("POST /v1/responses when the site fails", async (t) => {
  await using gw = await startGateway();
  const openai = new OpenAI({ baseURL: `${gw.base}/v1`, apiKey: "none", maxRetries: 0 });

  await t.step("a failure before text is the error's status and JSON", async () => {
    await assert.rejects(
      openai.responses.create({ model: "default", input: "Hello __fake:429", stream: true }),
      (error) => error instanceof OpenAI.RateLimitError,
    );
    const response = await post(gw.base, "/v1/responses", { input: "Hello __fake:500" });
    await assertError(response, 502, "upstream_failed");
  });

  for (const [fault, code] of [["cut", "upstream_failed"], ["noend", "upstream_truncated"]]) {
    await t.step(`a ${fault} answer after text ends response.failed, never completed`, async () => {
      const response = await post(gw.base, "/v1/responses", {
        input: `Hello __fake:${fault}`,
        stream: true,
      });
      assert.equal(response.status, 200);
      const all = events(await response.text());
      assert.ok(all.some((event) => event.type === "response.output_text.delta"));
      assert.ok(!all.some((event) => event.type === "response.completed"));
      const last = all.at(-1)!;
      assert.equal(last.type, "response.failed");
      const failed = last.response as OpenAI.Responses.Response;
      assert.equal(failed.status, "failed");
      assert.equal(failed.error?.code, code);
      assert.equal(last.sequence_number, all.length - 1);
    });
  }
});

Deno.test("POST /v1/responses keeps the edge's rules: CORS, leaving clients", async (t) => {
  await using gw = await startGateway({
    ALLOWED_ORIGINS: "https://shop.example",
    UPSTREAM_TIMEOUT_MS: "20000",
  });

  await t.step("a browser of an allowed origin gets its preflight and CORS headers", async () => {
    const preflight = await fetch(`${gw.base}/v1/responses`, {
      method: "OPTIONS",
      headers: {
        origin: "https://shop.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,authorization",
      },
    });
    await preflight.body?.cancel();
    assert.equal(preflight.headers.get("access-control-allow-origin"), "https://shop.example");
    const refused = await post(gw.base, "/v1/responses", { input: "Hi" }, {
      headers: { origin: "https://elsewhere.example" },
    });
    await assertError(refused, 403, "origin_not_allowed");
  });

  await t.step(
    "a client that leaves while text flows aborts the upstream",
    () =>
      gw.site.playing({ pieceDelayMs: 200 }, async () => {
        const before = gw.site.aborts;
        const controller = new AbortController();
        const response = await post(gw.base, "/v1/responses", { input: "Hello", stream: true }, {
          signal: controller.signal,
        });
        await response.body!.getReader().read();
        controller.abort();
        await gw.site.waitForAborts(before + 1, 1000);
      }),
  );
});

Deno.test("POST /v1/responses counts against the client's limits, as every answer route", async () => {
  await using gw = await startGateway({ ANON_REQUESTS_PER_MINUTE: "2" });
  for (let i = 0; i < 2; i++) {
    const response = await post(gw.base, "/v1/responses", { input: "Hi" });
    assert.equal(response.status, 200, await response.clone().text());
    assert.match(response.headers.get("ratelimit")!, new RegExp(`"minute";r=${1 - i};t=\\d+`));
    await response.body?.cancel();
  }
  await assertError(
    await post(gw.base, "/v1/responses", { input: "Hi" }),
    429,
    "rate_limit_exceeded",
  );
  assert.equal(gw.site.submits.length, 2);
});

Deno.test("with SESSION_SECRET another gateway continues a response: the id is the state", async () => {
  const vars = { SESSION_SECRET: "a secret of sixteen or more", API_KEYS: "k,k2" };
  await using first = await startGateway(vars);
  await using second = await startGateway(vars);
  const client = (gw: typeof first) =>
    new OpenAI({ baseURL: `${gw.base}/v1`, apiKey: "k", maxRetries: 0 });
  const whole = await client(first).responses.create({ model: "default", input: "My name is Ada" });
  await client(second).responses.create({
    model: "default",
    input: "What is my name?",
    previous_response_id: whole.id,
  });
  const asked = second.site.submits.at(-1)!.body as Record<string, unknown>;
  assert.equal(asked.chatId, (first.site.submits.at(-1)!.body as Record<string, unknown>).chatId);
  assert.deepEqual(asked.messages, [
    { role: "user", content: "My name is Ada" },
    { role: "assistant", content: ANSWER },
  ]);
  // A streamed response's answer stays in the memory of the gateway that streamed it.
  const stream = await client(first).responses.create({
    model: "default",
    input: "Hi",
    stream: true,
  });
  let id = "";
  for await (const event of stream) if (event.type === "response.completed") id = event.response.id;
  await client(second).responses.create({
    model: "default",
    input: "And?",
    previous_response_id: id,
  });
  const next = second.site.submits.at(-1)!.body as Record<string, unknown>;
  assert.deepEqual(next.messages, [{ role: "user", content: "Hi" }]);
  // Another key of the same gateway cannot continue it.
  const error = await assertError(
    await post(second.base, "/v1/responses", { input: "x", previous_response_id: id }, {
      headers: { authorization: "Bearer k2" },
    }),
    400,
    "previous_response_not_found",
  );
  assert.equal(error.param, "previous_response_id");
});

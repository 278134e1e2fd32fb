import assert from "node:assert/strict";
import OpenAI from "openai";
import { startGateway } from "./gateway.ts";
import { ANSWER, assertError, post, sseData } from "./http_client.ts";

Deno.test("POST /v1/chat/completions", async (t) => {
  await using gw = await startGateway({ AI_ENGINE_BOTS: "default,support", API_KEYS: "test-key" });
  const openai = new OpenAI({ baseURL: `${gw.base}/v1`, apiKey: "test-key", maxRetries: 0 });
  const auth = { authorization: "Bearer test-key" };

  await t.step("the official openai client streams the answer", async () => {
    const stream = await openai.chat.completions.create({
      model: "gpt-3.5-turbo",
      messages: [{ role: "user", content: "Hello" }],
      stream: true,
    });
    const deltas: string[] = [];
    let finish: string | null = null;
    for await (const chunk of stream) {
      assert.equal(chunk.object, "chat.completion.chunk");
      assert.equal(chunk.model, "gpt-3.5-turbo");
      deltas.push(chunk.choices[0]?.delta.content ?? "");
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    assert.equal(deltas.join(""), ANSWER);
    assert.ok(deltas.filter((d) => d !== "").length >= 2, "the answer came in one piece");
    assert.equal(finish, "stop");
  });

  await t.step("the official openai client gets a whole completion without stream", async () => {
    const completion = await openai.chat.completions.create({
      model: "support",
      messages: [
        { role: "system", content: "Be brief" },
        { role: "user", content: "Hello" },
      ],
      temperature: 0.2,
      max_tokens: 50,
    });
    assert.equal(completion.object, "chat.completion");
    assert.equal(completion.model, "support");
    assert.equal(completion.choices[0]?.message.content, ANSWER);
    assert.equal(completion.choices[0]?.finish_reason, "stop");
    assert.ok(completion.usage && completion.usage.total_tokens > 0);
    assert.equal((gw.site.submits.at(-1)!.body as { botId: string }).botId, "support");
  });

  await t.step("with include_usage a last chunk carries the usage, then [DONE]", async () => {
    const response = await post(gw.base, "/v1/chat/completions", {
      messages: [{ role: "user", content: "Hello" }],
      stream: true,
      stream_options: { include_usage: true },
    }, { headers: auth });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/);
    const data = sseData(await response.text());
    assert.equal(data.at(-1), "[DONE]");
    const chunks = data.slice(0, -1).map((line) => JSON.parse(line));
    assert.deepEqual(chunks[0].choices[0].delta, { role: "assistant", content: "" });
    const usage = chunks.at(-1);
    assert.deepEqual(usage.choices, []);
    assert.ok(usage.usage.total_tokens > 0);
    assert.equal(chunks.at(-2).choices[0].finish_reason, "stop");
    for (const chunk of chunks.slice(0, -1)) assert.equal(chunk.usage, null);
  });

  await t.step(
    "the openai client sees a failure before text as an APIError with the status",
    async () => {
      await assert.rejects(
        openai.chat.completions.create({
          model: "default",
          messages: [{ role: "user", content: "Hello __fake:429" }],
          stream: true,
        }),
        (error) => error instanceof OpenAI.APIError && error.status === 429,
      );
    },
  );

  await t.step("a failure after text is a data error event and no [DONE]", async () => {
    const response = await post(gw.base, "/v1/chat/completions", {
      messages: [{ role: "user", content: "Hello __fake:cut" }],
      stream: true,
    }, { headers: auth });
    const data = sseData(await response.text());
    assert.notEqual(data.at(-1), "[DONE]");
    const last = JSON.parse(data.at(-1)!);
    assert.equal(last.error.code, "upstream_failed");
    assert.match(last.error.message, /transfer closed/);
    const stream = await openai.chat.completions.create({
      model: "default",
      messages: [{ role: "user", content: "Hello __fake:noend" }],
      stream: true,
    });
    await assert.rejects(async () => {
      for await (const _ of stream) { /* read on */ }
    }, /without its end event/);
  });

  await t.step("what AI Engine cannot honour is a 400 that names the field, unasked", async () => {
    const calls = gw.site.submits.length;
    await assert.rejects(
      openai.chat.completions.create({
        model: "default",
        messages: [{ role: "user", content: "Weather in Paris?" }],
        tools: [{ type: "function", function: { name: "weather", parameters: {} } }],
      }),
      (error) =>
        error instanceof OpenAI.BadRequestError && error.code === "unsupported_parameter" &&
        error.param === "tools" && /cannot call the client's tools/.test(error.message),
    );
    await assert.rejects(
      openai.chat.completions.create({
        model: "default",
        messages: [{ role: "user", content: "Hi" }],
        response_format: { type: "json_object" },
      }),
      (error) => error instanceof OpenAI.BadRequestError && error.param === "response_format",
    );
    assert.equal(gw.site.submits.length, calls, "the site was asked");
  });

  await t.step("an unknown model is 404 model_not_found", async () => {
    await assert.rejects(
      openai.chat.completions.create({
        model: "gpt-4o",
        messages: [{ role: "user", content: "Hi" }],
      }),
      (error) => error instanceof OpenAI.NotFoundError && (error.code === "model_not_found"),
    );
  });

  await t.step("GET /v1/models lists the bots as models", async () => {
    const models = [];
    for await (const model of openai.models.list()) models.push(model.id);
    assert.deepEqual(models, ["default", "support"]);
  });

  await t.step("a missing or wrong key is 401", async () => {
    await assertError(
      await post(gw.base, "/v1/chat/completions", { messages: [{ role: "user", content: "Hi" }] }),
      401,
      "invalid_api_key",
    );
    const wrong = new OpenAI({ baseURL: `${gw.base}/v1`, apiKey: "nope", maxRetries: 0 });
    await assert.rejects(
      wrong.models.list(),
      (error) => error instanceof OpenAI.AuthenticationError,
    );
  });

  await t.step("bad input is 400 naming the field", async () => {
    const cases: [unknown, string][] = [
      [{ messages: "Hello" }, "messages"],
      [{ messages: [] }, "messages"],
      [{ messages: [{ role: "wizard", content: "Hi" }] }, "messages[0].role"],
      [{ messages: [{ role: "user", content: 42 }] }, "messages[0].content"],
      [{ messages: [{ role: "user", content: "Hi" }], stream: "yes" }, "stream"],
      [{ messages: [{ role: "user", content: "Hi" }], temperature: "hot" }, "temperature"],
      [{ messages: [{ role: "user", content: "Hi" }], model: 7 }, "model"],
    ];
    for (const [body, param] of cases) {
      const error = await assertError(
        await post(gw.base, "/v1/chat/completions", body, { headers: auth }),
        400,
        "invalid_request",
      );
      assert.equal(error.param, param, JSON.stringify(body));
    }
  });
});

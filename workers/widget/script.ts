/**
 * The script a dealer's page loads from /widget/v1.js. Plain ES2017, no framework and no
 * build step: it reads its widget id from its own tag, asks for the widget's look, and draws
 * a launcher and a chat panel inside a closed shadow root so it never disturbs the page.
 * Replies stream over SSE (fetch + a reader, since EventSource cannot POST). Text is only
 * ever set through textContent, so nothing a model says can become markup on the page.
 */
import { WIDGET_CSS } from "./style";

const SOURCE = String.raw`(function () {
  "use strict";
  var tag = document.currentScript;
  var widgetId = tag && tag.getAttribute("data-widget");
  if (!widgetId || !/^wgt_[A-Za-z0-9]{6,60}$/.test(widgetId)) {
    console.warn("Auterity widget: add data-widget=\"wgt_...\" to the script tag");
    return;
  }
  var base = new URL(tag.src).origin;
  var threadKey = "auterity:" + widgetId + ":thread";
  var CSS = __CSS__;

  function el(name, attrs, text) {
    var node = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function storedThread() {
    try { return sessionStorage.getItem(threadKey); } catch (e) { return null; }
  }

  function storeThread(id) {
    try { sessionStorage.setItem(threadKey, id); } catch (e) { /* storage blocked: the thread lasts this page only */ }
  }

  function ui(cfg) {
    var host = el("div", { "data-auterity-widget": widgetId });
    host.className = cfg.position === "bottom-left" ? "left" : "right";
    var root = host.attachShadow({ mode: "closed" });
    var accent = /^#[0-9a-fA-F]{6}$/.test(cfg.accentColor) ? cfg.accentColor : "#1f6feb";
    var style = el("style", {}, ":host{--accent:" + accent + "}\n" + CSS);
    var panelId = "auterity-panel";
    var launcher = el("button", { type: "button", "class": "launcher", "aria-label": "Open chat: " + cfg.title, "aria-expanded": "false", "aria-controls": panelId });
    launcher.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';
    var panel = el("div", { id: panelId, "class": "panel", role: "dialog", "aria-label": cfg.title });
    panel.hidden = true;
    var header = el("header");
    var close = el("button", { type: "button", "class": "close", "aria-label": "Close chat" }, "\u00d7");
    header.appendChild(el("h2", {}, cfg.title));
    header.appendChild(close);
    var log = el("div", { "class": "log", role: "log", "aria-live": "polite" });
    var form = el("form");
    var label = el("label", { "for": "auterity-input", "class": "sr" }, "Your message");
    var input = el("textarea", { id: "auterity-input", rows: "1", maxlength: "4000", placeholder: "Type your message\u2026" });
    var send = el("button", { type: "submit", "class": "send" }, "Send");
    form.appendChild(label); form.appendChild(input); form.appendChild(send);
    panel.appendChild(header); panel.appendChild(log); panel.appendChild(form);
    root.appendChild(style); root.appendChild(panel); root.appendChild(launcher);
    document.body.appendChild(host);
    if (cfg.greeting) bubble(log, "assistant", cfg.greeting);

    function setOpen(open) {
      panel.hidden = !open;
      launcher.setAttribute("aria-expanded", String(open));
      if (open) input.focus(); else launcher.focus();
    }
    launcher.addEventListener("click", function () { setOpen(panel.hidden); });
    close.addEventListener("click", function () { setOpen(false); });
    panel.addEventListener("keydown", function (e) { if (e.key === "Escape") setOpen(false); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); form.requestSubmit ? form.requestSubmit() : submit(e); }
    });
    form.addEventListener("submit", submit);

    function submit(e) {
      e.preventDefault();
      var text = input.value.trim();
      if (!text || send.disabled) return;
      input.value = "";
      send.disabled = true;
      bubble(log, "user", text);
      chat(log, text).then(function () { send.disabled = false; input.focus(); });
    }
  }

  function bubble(log, kind, text) {
    var node = el("div", { "class": "msg " + kind }, text);
    log.appendChild(node);
    log.scrollTop = log.scrollHeight;
    return node;
  }

  function chat(log, content) {
    var reply = bubble(log, "assistant", "\u2026");
    var got = "";
    var body = { content: content };
    var thread = storedThread();
    if (thread) body.threadId = thread;
    return fetch(base + "/widget/chat/" + widgetId, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
      .then(function (res) {
        if (!res.ok) {
          return res.json().catch(function () { return {}; }).then(function (j) {
            // A thread this widget no longer knows: start afresh on the next message.
            if (res.status === 404 && thread) { try { sessionStorage.removeItem(threadKey); } catch (e) { /* ignore */ } }
            throw new Error((j.error && j.error.message) || "The chat is unavailable right now.");
          });
        }
        return read(res.body.getReader(), function (event, data) {
          if (event === "thread" && data && (data.threadId || data.id)) storeThread(data.threadId || data.id);
          else if (event === "delta" && data && typeof data.text === "string") { got += data.text; reply.textContent = got; }
          else if (event === "citations") sources(reply, data);
          else if (event === "error") throw new Error((data && data.message) || "The answer was interrupted.");
          log.scrollTop = log.scrollHeight;
        });
      })
      .catch(function (err) {
        if (!got) reply.remove();
        bubble(log, "error", err.message);
      });
  }

  function sources(reply, data) {
    var list = Array.isArray(data) ? data : (data && data.citations) || [];
    var names = list.map(function (c) { return c.title || c.documentName || c.name; }).filter(Boolean);
    if (names.length) reply.appendChild(el("span", { "class": "sources" }, "Sources: " + names.join(", ")));
  }

  function read(reader, onEvent) {
    var decoder = new TextDecoder();
    var buffer = "";
    function pump() {
      return reader.read().then(function (r) {
        if (r.done) return;
        buffer += decoder.decode(r.value, { stream: true }).replace(/\r\n/g, "\n");
        var at;
        while ((at = buffer.indexOf("\n\n")) >= 0) {
          dispatch(buffer.slice(0, at), onEvent);
          buffer = buffer.slice(at + 2);
        }
        return pump();
      });
    }
    return pump();
  }

  function dispatch(block, onEvent) {
    var event = "message";
    var data = [];
    block.split("\n").forEach(function (line) {
      if (line.indexOf("event:") === 0) event = line.slice(6).trim();
      else if (line.indexOf("data:") === 0) data.push(line.slice(5).replace(/^ /, ""));
    });
    var parsed = null;
    try { parsed = data.length ? JSON.parse(data.join("\n")) : null; } catch (e) { parsed = data.join("\n"); }
    onEvent(event, parsed);
  }

  fetch(base + "/widget/config/" + widgetId)
    .then(function (res) { if (!res.ok) throw new Error("HTTP " + res.status); return res.json(); })
    .then(function (cfg) {
      if (document.body) ui(cfg); else document.addEventListener("DOMContentLoaded", function () { ui(cfg); });
    })
    .catch(function (err) { console.warn("Auterity widget " + widgetId + " is unavailable: " + err.message); });
})();
`;

/** The widget script as served, with its stylesheet inlined. */
export const WIDGET_SCRIPT = SOURCE.replace("__CSS__", JSON.stringify(WIDGET_CSS));

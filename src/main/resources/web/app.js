// The Orders page. Every value that comes from an order or a rejected message is put in the page as text
// (textContent, never innerHTML), and the Content-Security-Policy forbids inline script besides.
"use strict";

const ORDER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const RECENT_LIMIT = 20;
const RECENT_KEPT = 100;
const PAYLOAD_PREVIEW_CHARS = 200;

const $ = (id) => document.getElementById(id);

/** Creates an element; strings among the children become text nodes, never markup. */
function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
        if (key === "class") node.className = value;
        else if (key === "text") node.textContent = value;
        else if (key.startsWith("data-") || key.startsWith("aria-") || key === "scope" || key === "title" ||
            key === "type" || key === "href" || key === "datetime" || key === "colspan") node.setAttribute(key, value);
        else node[key] = value;
    }
    for (const child of children) {
        if (child !== null && child !== undefined) node.append(child);
    }
    return node;
}

function setStatus(node, kind, message) {
    node.dataset.kind = kind;
    node.textContent = message;
}

function clearStatus(node) {
    delete node.dataset.kind;
    node.textContent = "";
}

// ---- formatting -----------------------------------------------------------------------------------------------

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

function formatInstant(iso) {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

function timeElement(iso) {
    return el("time", { datetime: iso, title: iso, text: formatInstant(iso) });
}

function formatMoney(amount, currency) {
    try {
        return new Intl.NumberFormat(undefined, { style: "currency", currency, maximumFractionDigits: 2 }).format(amount);
    } catch (notACurrencyThisBrowserKnows) {
        return `${new Intl.NumberFormat().format(amount)} ${currency}`;
    }
}

function facts(pairs) {
    const list = el("dl", { class: "facts" });
    for (const [label, value, className] of pairs) {
        list.append(el("dt", { text: label }), el("dd", className ? { class: className } : {}, value));
    }
    return list;
}

// ---- routing --------------------------------------------------------------------------------------------------

function currentRoute() {
    const path = window.location.pathname;
    if (path === "/rejected") return { view: "rejected" };
    const match = path.match(/^\/orders\/([^/]+)$/);
    if (match) {
        let id;
        try {
            id = decodeURIComponent(match[1]);
        } catch (malformed) {
            id = match[1];
        }
        return { view: "lookup", id };
    }
    return { view: "lookup", id: null };
}

function navigate(path) {
    if (path !== window.location.pathname) {
        history.pushState(null, "", path);
    }
    render();
}

function render() {
    const route = currentRoute();
    $("lookup-view").hidden = route.view !== "lookup";
    $("rejected-view").hidden = route.view !== "rejected";
    for (const link of document.querySelectorAll("[data-view]")) {
        if (link.dataset.view === route.view) link.setAttribute("aria-current", "page");
        else link.removeAttribute("aria-current");
    }
    if (route.view === "rejected") {
        document.title = "Rejected messages – Orders";
        rejected.showFirstPage();
    } else {
        showOrder(route.id);
    }
}

// ---- the order ------------------------------------------------------------------------------------------------

let lookup = null;

function checkId(id) {
    const input = $("order-id");
    const hint = $("order-id-hint");
    const valid = ORDER_ID.test(id);
    input.setAttribute("aria-invalid", String(!valid));
    hint.classList.toggle("error", !valid);
    hint.textContent = valid ? "1–64 letters, digits, _ or -"
        : id === "" ? "Type an order id: 1–64 letters, digits, _ or -."
            : "An order id has 1–64 characters, each a letter, a digit, _ or -.";
    return valid;
}

async function showOrder(id) {
    const status = $("order-status");
    const article = $("order");
    if (lookup) lookup.abort();
    highlightRecent(id);
    if (id === null) {
        article.hidden = true;
        document.title = "Orders";
        setStatus(status, "info", "Type an order id above, or pick one of the recent orders.");
        return;
    }
    $("order-id").value = id;
    if (!checkId(id)) {
        article.hidden = true;
        setStatus(status, "error", `“${id}” is not an order id. An order id has 1–64 characters, each a letter, a digit, _ or -.`);
        return;
    }
    document.title = `${id} – Orders`;
    lookup = new AbortController();
    setStatus(status, "loading", `Loading order ${id}…`);
    article.hidden = true;
    let response;
    try {
        response = await fetch(`/api/orders/${encodeURIComponent(id)}`, { signal: lookup.signal, headers: { Accept: "application/json" } });
    } catch (error) {
        if (error.name === "AbortError") return;
        setStatus(status, "error", "The service cannot be reached. Check your connection and try again.");
        return;
    }
    if (response.status === 404) {
        setStatus(status, "error", `No order with id ${id} has been stored.`);
        return;
    }
    if (response.status === 400) {
        setStatus(status, "error", `“${id}” is not an order id. An order id has 1–64 characters, each a letter, a digit, _ or -.`);
        return;
    }
    if (!response.ok) {
        setStatus(status, "error", `The service could not answer (HTTP ${response.status}). Try again in a moment.`);
        return;
    }
    let raw;
    let order;
    try {
        raw = await response.text();
        order = JSON.parse(raw);
    } catch (error) {
        if (error.name === "AbortError") return;
        setStatus(status, "error", "The service sent an answer this page cannot read.");
        return;
    }
    clearStatus(status);
    article.replaceChildren(...orderView(order, raw));
    article.hidden = false;
}

function orderView(order, raw) {
    const payment = order.payment;
    const delivery = order.delivery;
    const money = (value) => formatMoney(value, payment.currency);

    const head = el("header", { class: "order-head" },
        el("h2", { text: order.order_uid }),
        facts([
            ["Track number", order.track_number],
            ["Created", timeElement(order.date_created)],
            ["Customer", order.customer_id],
            ["Delivery service", order.delivery_service],
        ]));

    const deliveryBlock = el("section", { class: "block", "aria-label": "Delivery" },
        el("h3", { text: "Delivery" }),
        facts([
            ["Name", delivery.name],
            ["Phone", delivery.phone],
            ["Email", delivery.email || "—"],
            ["Address", delivery.address],
            ["City", delivery.city],
            ["Region", delivery.region || "—"],
            ["Zip", delivery.zip || "—"],
        ]));

    const paymentBlock = el("section", { class: "block", "aria-label": "Payment" },
        el("h3", { text: "Payment" }),
        facts([
            ["Amount", money(payment.amount), "money"],
            ["Goods", money(payment.goods_total), "money"],
            ["Delivery", money(payment.delivery_cost), "money"],
            ["Custom fee", money(payment.custom_fee), "money"],
            ["Paid at", timeElement(new Date(payment.payment_dt * 1000).toISOString())],
            ["Provider", payment.provider],
            ["Bank", payment.bank || "—"],
            ["Transaction", payment.transaction],
        ]));

    const otherBlock = el("section", { class: "block", "aria-label": "Other details" },
        el("h3", { text: "Other details" }),
        facts([
            ["Entry", order.entry],
            ["Locale", order.locale],
            ["Shard key", order.shardkey],
            ["OOF shard", order.oof_shard],
            ["SM id", String(order.sm_id)],
            ["Internal signature", order.internal_signature || "—"],
        ]));

    const rows = order.items.map((item) => el("tr", {},
        el("td", { class: "text item-name", text: item.name }),
        el("td", { class: "text", "data-label": "Brand", text: item.brand || "—" }),
        el("td", { class: "text", "data-label": "Size", text: item.size || "—" }),
        el("td", { class: "num", "data-label": "Price", text: money(item.price) }),
        el("td", { class: "num", "data-label": "Sale", text: `${item.sale}%` }),
        el("td", { class: "num", "data-label": "Total", text: money(item.total_price) })));
    const total = order.items.reduce((sum, item) => sum + item.total_price, 0);
    const items = el("section", { class: "items", "aria-label": "Items" },
        el("h3", { text: `Items (${order.items.length})` }),
        el("div", { class: "table-scroll" },
            el("table", { class: "item-table" },
                el("thead", {}, el("tr", {},
                    el("th", { scope: "col", text: "Item" }),
                    el("th", { scope: "col", text: "Brand" }),
                    el("th", { scope: "col", text: "Size" }),
                    el("th", { scope: "col", class: "num", text: "Price" }),
                    el("th", { scope: "col", class: "num", text: "Sale" }),
                    el("th", { scope: "col", class: "num", text: "Total" }))),
                el("tbody", {}, ...rows),
                el("tfoot", {}, el("tr", {},
                    el("td", { colspan: "5", text: "Total" }),
                    el("td", { class: "num", text: money(total) }))))));

    return [head, el("div", { class: "order-blocks" }, deliveryBlock, paymentBlock, otherBlock), items, rawView(order, raw)];
}

function rawView(order, raw) {
    const pre = el("pre", { id: "raw-json", text: JSON.stringify(order, null, 2) });
    pre.hidden = true;
    const toggle = el("button", { type: "button", class: "secondary", text: "Show raw JSON", "aria-expanded": "false", "aria-controls": "raw-json" });
    const copyState = el("span", { class: "copy-state", role: "status" });
    const copy = el("button", { type: "button", class: "secondary", text: "Copy JSON" });
    toggle.addEventListener("click", () => {
        pre.hidden = !pre.hidden;
        toggle.textContent = pre.hidden ? "Show raw JSON" : "Hide raw JSON";
        toggle.setAttribute("aria-expanded", String(!pre.hidden));
    });
    copy.addEventListener("click", async () => {
        try {
            await navigator.clipboard.writeText(raw);
            copyState.textContent = "Copied.";
        } catch (notAllowed) {
            pre.hidden = false;
            toggle.textContent = "Hide raw JSON";
            window.getSelection().selectAllChildren(pre);
            copyState.textContent = "Selected: press Ctrl+C to copy.";
        }
    });
    return el("section", { class: "raw", "aria-label": "Raw JSON" },
        el("div", { class: "raw-actions" }, toggle, copy, copyState), pre);
}

// ---- recent orders, live ---------------------------------------------------------------------------------------

const recent = {
    next: null,
    items: new Map(),

    async load(before) {
        const status = $("recent-status");
        const list = $("recent-list");
        const query = new URLSearchParams({ limit: String(RECENT_LIMIT) });
        if (before) query.set("before", before);
        try {
            const response = await fetch(`/api/orders?${query}`);
            if (!response.ok) throw new Error(`HTTP ${response.status}`);
            const page = await response.json();
            if (before) {
                for (const order of page.orders) if (!this.items.has(order.order_uid)) list.append(this.item(order));
            } else {
                // Orders that arrived live while this page was on its way stay on top; known ones keep their element.
                const listed = new Set(page.orders.map((order) => order.order_uid));
                const arrived = [...list.children].filter((li) => li.dataset.live === "true" && !listed.has(li.dataset.uid));
                const fresh = page.orders.map((order) => this.items.get(order.order_uid) || this.item(order));
                this.items = new Map([...arrived, ...fresh].map((li) => [li.dataset.uid, li]));
                list.replaceChildren(...arrived, ...fresh);
            }
            this.next = page.next;
            $("recent-more").hidden = !this.next;
            if (list.children.length === 0) setStatus(status, "info", "No orders stored yet. New ones appear here as they arrive.");
            else clearStatus(status);
            highlightRecent(currentRoute().id);
        } catch (error) {
            setStatus(status, "error", "Recent orders could not be loaded.");
        }
    },

    item(order) {
        const link = el("a", { href: `/orders/${encodeURIComponent(order.order_uid)}`, "data-route": "", "data-uid": order.order_uid },
            el("span", { class: "uid", text: order.order_uid }),
            el("span", { class: "meta", text: `${order.customer_id} · ${formatMoney(order.amount, order.currency)} · ${order.items} item${order.items === 1 ? "" : "s"}` }),
            el("span", { class: "meta" }, "Stored ", timeElement(order.stored_at)));
        const item = el("li", { "data-uid": order.order_uid }, link);
        this.items.set(order.order_uid, item);
        return item;
    },

    arrived(order) {
        if (this.items.has(order.order_uid)) return;
        const list = $("recent-list");
        const item = this.item(order);
        item.dataset.live = "true";
        item.classList.add("new");
        list.prepend(item);
        while (list.children.length > RECENT_KEPT) {
            this.items.delete(list.lastElementChild.dataset.uid);
            list.lastElementChild.remove();
        }
        clearStatus($("recent-status"));
        highlightRecent(currentRoute().id);
    },

    events: null,

    listen() {
        const state = $("live-state");
        const events = new EventSource("/api/order-events");
        this.events = events;
        let hadError = false;
        events.addEventListener("open", () => {
            state.dataset.state = "live";
            state.textContent = "Live";
            // After a break the stream may have missed orders: reload instead of showing a gap.
            if (hadError) this.load(null);
            hadError = false;
        });
        events.addEventListener("order", (event) => {
            try {
                this.arrived(JSON.parse(event.data));
            } catch (unreadable) {
                // An event this page cannot read is skipped; the next reload shows the order.
            }
        });
        events.addEventListener("error", () => {
            hadError = true;
            state.dataset.state = "reconnecting";
            state.textContent = "Reconnecting…";
        });
    },

    // A page kept in the back-forward cache would hold its stream open, and with it one of the browser's few
    // connections to this host; close it while hidden, reconnect and reload when shown again.
    pause() {
        if (this.events) this.events.close();
        this.events = null;
    },

    resume() {
        if (!this.events) {
            this.listen();
            this.load(null);
        }
    },
};

function highlightRecent(id) {
    for (const link of document.querySelectorAll("#recent-list a")) {
        if (link.dataset.uid === id) link.setAttribute("aria-current", "true");
        else link.removeAttribute("aria-current");
    }
}

// ---- rejected messages -----------------------------------------------------------------------------------------

const rejected = {
    next: null,

    async showFirstPage() {
        $("rejected-rows").replaceChildren();
        await this.load(null);
    },

    async load(before) {
        const status = $("rejected-status");
        const query = new URLSearchParams({ limit: "20" });
        const code = $("rejected-code").value;
        if (code) query.set("code", code);
        if (before) query.set("before", before);
        setStatus(status, "loading", "Loading rejected messages…");
        try {
            const response = await fetch(`/api/rejected?${query}`);
            if (!response.ok) throw new Error(`HTTP ${response.status}`);
            const page = await response.json();
            $("rejected-rows").append(...page.rejected.map((message) => this.row(message)));
            this.next = page.next;
            $("rejected-more").hidden = !this.next;
            if ($("rejected-rows").children.length === 0) setStatus(status, "info", code ? `No messages rejected as ${code}.` : "No message has been rejected.");
            else clearStatus(status);
        } catch (error) {
            setStatus(status, "error", "Rejected messages could not be loaded. Try again in a moment.");
        }
    },

    row(message) {
        const where = `${message.source} ${message.channel}` + (message.source === "kafka" ? `/${message.partition}` : "") + ` @ ${message.position}`;
        return el("tr", {},
            el("td", { class: "when", "data-label": "Rejected at" }, timeElement(message.rejected_at)),
            el("td", { "data-label": "Code" }, el("span", { class: "code", text: message.code })),
            el("td", { class: "text", "data-label": "Reason", text: message.reason }),
            el("td", { class: "text", "data-label": "Order id", text: message.order_uid || "—" }),
            el("td", { class: "text", "data-label": "Broker position", text: where }),
            el("td", { class: "payload", "data-label": "Payload" }, ...this.payload(message)));
    },

    payload(message) {
        const text = message.payload_text;
        const pre = el("pre", { text: text.length > PAYLOAD_PREVIEW_CHARS ? `${text.slice(0, PAYLOAD_PREVIEW_CHARS)}…` : text });
        const parts = [pre];
        if (text.length > PAYLOAD_PREVIEW_CHARS) {
            const more = el("button", { type: "button", class: "link", text: "Show all", "aria-expanded": "false" });
            more.addEventListener("click", () => {
                const expanded = more.getAttribute("aria-expanded") === "true";
                pre.textContent = expanded ? `${text.slice(0, PAYLOAD_PREVIEW_CHARS)}…` : text;
                more.textContent = expanded ? "Show all" : "Show less";
                more.setAttribute("aria-expanded", String(!expanded));
            });
            parts.push(more);
        }
        if (message.payload_truncated) {
            parts.push(el("div", { class: "note", text: `First ${new TextEncoder().encode(text).length} of ${message.payload_size} bytes kept` }));
        } else {
            parts.push(el("div", { class: "note", text: `${message.payload_size} bytes` }));
        }
        return parts;
    },
};

// ---- wiring ---------------------------------------------------------------------------------------------------

document.addEventListener("DOMContentLoaded", () => {
    $("lookup-form").addEventListener("submit", (event) => {
        event.preventDefault();
        const id = $("order-id").value.trim();
        if (!checkId(id)) {
            $("order-id").focus();
            return;
        }
        navigate(`/orders/${encodeURIComponent(id)}`);
    });
    $("order-id").addEventListener("input", () => {
        const id = $("order-id").value.trim();
        if (id === "" || ORDER_ID.test(id)) checkId(id === "" ? "x" : id);
    });
    document.addEventListener("click", (event) => {
        const link = event.target.closest("a[data-route]");
        if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(new URL(link.href).pathname);
    });
    $("recent-more").addEventListener("click", () => recent.load(recent.next));
    $("rejected-more").addEventListener("click", () => rejected.load(rejected.next));
    $("rejected-code").addEventListener("change", () => rejected.showFirstPage());
    window.addEventListener("popstate", render);
    window.addEventListener("pagehide", () => recent.pause());
    window.addEventListener("pageshow", (event) => {
        if (event.persisted) recent.resume();
    });

    render();
    recent.load(null);
    recent.listen();
});

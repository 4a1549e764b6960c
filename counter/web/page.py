"""The citizen display's one page: inline CSS and JS, no external assets, Vietnamese, large type."""

PAGE = """<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Một Cửa — màn hình công dân</title>
<style>
  html, body { margin: 0; height: 100%; background: #f4f6f8; color: #102a43;
    font-family: "Segoe UI", "DejaVu Sans", "Noto Sans", Arial, sans-serif; }
  body { display: flex; flex-direction: column; }
  header { background: #0b5394; color: #fff; padding: 1.5vh 3vw; display: flex; justify-content: space-between;
    font-size: 3.2vh; }
  main { flex: 1; display: grid; grid-template-columns: 1fr 1.4fr; gap: 3vw; padding: 3vh 3vw; }
  section { background: #fff; border-radius: 1.5vh; padding: 3vh 3vw; box-shadow: 0 0.3vh 1vh #0002; }
  h2 { margin: 0 0 2vh; font-size: 3.4vh; color: #486581; font-weight: 600; }
  #number { font-size: 22vh; font-weight: 800; color: #b30000; text-align: center; line-height: 1; }
  #towards { font-size: 5vh; text-align: center; margin-top: 2vh; }
  dl { font-size: 3.6vh; margin: 0; display: grid; grid-template-columns: auto 1fr; gap: 1.5vh 2vw; }
  dt { color: #627d98; } dd { margin: 0; font-weight: 600; }
  #rating .buttons { display: flex; gap: 2vw; margin-top: 2vh; }
  #rating button { flex: 1; font-size: 4vh; padding: 4vh 1vw; border: 0; border-radius: 1.5vh; color: #fff;
    cursor: pointer; font-weight: 700; }
  button.l3 { background: #1e7b34; } button.l2 { background: #0b5394; } button.l1 { background: #b30000; }
  .reasons { display: flex; flex-wrap: wrap; gap: 1vw; margin-top: 2vh; }
  .reasons label { font-size: 2.8vh; background: #e8eef4; padding: 1vh 1.5vw; border-radius: 1vh; }
  #thanks { font-size: 5vh; color: #1e7b34; font-weight: 700; text-align: center; }
  #message { font-size: 3vh; color: #b30000; min-height: 4vh; }
  .idle { font-size: 6vh; text-align: center; color: #486581; }
  [hidden] { display: none !important; }
</style>
</head>
<body>
<header><span id="unit"></span><span id="counter"></span><span id="clock"></span></header>
<main>
  <section id="called-box">
    <h2>Mời số</h2>
    <div id="number">—</div>
    <div id="towards"></div>
  </section>
  <section id="dossier-box">
    <div class="idle" id="welcome">Xin kính chào quý khách</div>
    <div id="dossier" hidden>
      <h2>Hồ sơ của quý khách</h2>
      <dl>
        <dt>Mã hồ sơ</dt><dd id="d-code"></dd>
        <dt>Thủ tục</dt><dd id="d-procedure"></dd>
        <dt>Hẹn trả kết quả</dt><dd id="d-due"></dd>
        <dt>Số định danh</dt><dd id="d-id"></dd>
      </dl>
      <div id="fee" hidden><h2>Lệ phí</h2><dl><dt>Số tiền</dt><dd id="f-amount"></dd></dl>
        <img id="f-qr" alt="Mã QR chuyển khoản" hidden></div>
    </div>
    <div id="rating" hidden>
      <h2>Quý khách đánh giá thế nào về việc giải quyết hồ sơ?</h2>
      <div class="buttons" id="levels"></div>
      <div class="reasons" id="reasons"></div>
      <div id="message"></div>
    </div>
    <div id="thanks" hidden>Cảm ơn quý khách đã đánh giá!</div>
  </section>
</main>
<script>
"use strict";
const token = new URLSearchParams(location.search).get("token");
const query = token ? "?token=" + encodeURIComponent(token) : "";
let offered = "";
const $ = (id) => document.getElementById(id);
function when(iso) {
  const [day, time] = iso.split("T"); const [y, m, d] = day.split("-");
  return time.slice(0, 5) + " ngày " + d + "/" + m + "/" + y;
}
function money(n) { return n.toLocaleString("vi-VN") + " đ"; }
function showRating(rating) {
  $("rating").hidden = !rating;
  if (!rating || offered === rating.url) return;
  offered = rating.url; $("message").textContent = "";
  $("levels").replaceChildren(...rating.levels.map((l) => {
    const b = document.createElement("button"); b.className = "l" + l.level; b.textContent = l.label;
    b.onclick = () => rate(rating.url, l.level); return b; }));
  $("reasons").replaceChildren(...rating.reasons.map((r) => {
    const label = document.createElement("label"); const box = document.createElement("input");
    box.type = "checkbox"; box.value = r; label.append(box, " " + r); return label; }));
}
function render(s) {
  $("unit").textContent = s.unit || ""; $("counter").textContent = "Quầy " + (s.counter || "");
  $("number").textContent = s.called ? s.called.ticket : "—";
  $("towards").textContent = s.called ? "tới quầy " + s.called.counter + " · " + s.called.group : "";
  const d = s.dossier;
  $("welcome").hidden = !!d; $("dossier").hidden = !d;
  $("thanks").hidden = !(d && d.rated);
  if (d) {
    $("d-code").textContent = d.code; $("d-procedure").textContent = d.procedure;
    $("d-due").textContent = when(d.due_at); $("d-id").textContent = d.id_number;
    $("fee").hidden = !d.fee;
    if (d.fee) { $("f-amount").textContent = money(d.fee.amount || 0);
      $("f-qr").hidden = !d.fee.qr_image; if (d.fee.qr_image) $("f-qr").src = d.fee.qr_image; }
  }
  showRating(s.rating);
}
function rate(url, level) {
  const reasons = [...document.querySelectorAll("#reasons input:checked")].map((b) => b.value);
  fetch(url + query, { method: "POST", headers: { "Content-Type": "application/json" },
                       body: JSON.stringify({ level: level, reasons: reasons }) })
    .then((r) => r.json().then((j) => { if (!r.ok) $("message").textContent = j.reason; }))
    .catch(() => { $("message").textContent = "Chưa gửi được đánh giá; xin thử lại."; });
}
function poll() {
  fetch("/state" + query).then((r) => r.json()).then(render).catch(() => {})
    .finally(() => setTimeout(poll, 1000));
}
function tick() { const n = new Date(); $("clock").textContent = n.toLocaleTimeString("vi-VN").slice(0, 5); }
setInterval(tick, 1000); tick();
if (window.EventSource) {
  const source = new EventSource("/events" + query);
  source.onmessage = (e) => render(JSON.parse(e.data));
  source.onerror = () => { if (source.readyState === EventSource.CLOSED) poll(); };
} else { poll(); }
</script>
</body>
</html>
"""

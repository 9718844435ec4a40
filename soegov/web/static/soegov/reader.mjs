// Draws a PDF into the page with pdf.js (served by soegov, never a CDN): one canvas per page, as wide as the
// reading column, sharp on high-density screens. Used by the attachment and material reading pages.
import * as pdfjsLib from "./pdfjs/pdf.min.mjs";

const box = document.getElementById("pdf-viewer");

function fail(message) {
  box.querySelector(".loading")?.remove();
  const p = document.createElement("p");
  p.className = "warn-box";
  p.setAttribute("role", "alert");
  p.textContent = message;
  box.appendChild(p);
  box.dataset.state = "failed";
}

async function show() {
  pdfjsLib.GlobalWorkerOptions.workerSrc = box.dataset.worker;
  const doc = await pdfjsLib.getDocument({
    url: box.dataset.src, cMapUrl: box.dataset.cmaps, cMapPacked: true,
    standardFontDataUrl: box.dataset.fonts, isEvalSupported: false,
  }).promise;
  box.querySelector(".loading")?.remove();
  const ratio = window.devicePixelRatio || 1;
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const base = page.getViewport({ scale: 1 });
    const scale = Math.min(2, (box.clientWidth || 800) / base.width);
    const viewport = page.getViewport({ scale: scale * ratio });
    const canvas = document.createElement("canvas");
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", `第 ${n} 页，共 ${doc.numPages} 页`);
    box.appendChild(canvas);
    await page.render({ canvas, canvasContext: canvas.getContext("2d"), viewport }).promise;
  }
  box.dataset.pages = String(doc.numPages);
  box.dataset.state = "done";
}

if (box) {
  show().catch(() => fail("无法在页面中显示此 PDF（文件可能已损坏或加密），请下载后阅读。"));
}

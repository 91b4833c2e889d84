// The enlarged view of one sample: zoom, the pixel value under the cursor, a before/after slider
// against the original, histograms of both, the replay log and a PNG download.

const $ = (selector) => document.querySelector(selector);

/** Per-channel 256-bin histograms of RGBA pixels (alpha ignored). */
export function histogram(imageData) {
  const bins = [new Uint32Array(256), new Uint32Array(256), new Uint32Array(256)];
  const d = imageData.data;
  for (let i = 0; i < d.length; i += 4) {
    bins[0][d[i]]++;
    bins[1][d[i + 1]]++;
    bins[2][d[i + 2]]++;
  }
  return bins;
}

const COLOURS = ['rgba(220, 38, 38, 0.45)', 'rgba(22, 163, 74, 0.45)', 'rgba(37, 99, 235, 0.45)'];

/** Draws histograms as overlaid areas (one gray area when the channels agree). */
export function drawHistogram(canvas, bins) {
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  const gray = bins[0].every((v, i) => v === bins[1][i] && v === bins[2][i]);
  const shown = gray ? [bins[0]] : bins;
  // Scale to the 99th-percentile bin so one spike (a black border) does not flatten the rest.
  const all = shown.flatMap((b) => Array.from(b)).sort((a, b) => a - b);
  const top = Math.max(1, all[Math.floor(all.length * 0.99)]);
  shown.forEach((b, c) => {
    ctx.fillStyle = gray ? 'rgba(100, 116, 139, 0.6)' : COLOURS[c];
    ctx.beginPath();
    ctx.moveTo(0, height);
    for (let i = 0; i < 256; i++) ctx.lineTo((i / 255) * width, height - Math.min(1, b[i] / top) * height);
    ctx.lineTo(width, height);
    ctx.closePath();
    ctx.fill();
  });
}

let current = null; // { png: () => Promise<Uint8Array>, name }

/** Saves a Blob as a download named `name`. */
export function saveBlob(blob, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

function setZoom(z) {
  const zoom = Math.max(1, Math.min(8, z));
  $('#zoom').value = String(zoom);
  $('#zoom-out').textContent = `${zoom}×`;
  const stage = $('#compare');
  const canvas = $('#inspect-canvas');
  stage.style.width = `${canvas.width * zoom}px`;
  stage.style.height = `${canvas.height * zoom}px`;
}

function fitZoom() {
  const canvas = $('#inspect-canvas');
  const box = $('#inspect-stage').getBoundingClientRect();
  const fit = Math.min(box.width / canvas.width, (window.innerHeight * 0.6) / canvas.height);
  setZoom(Math.max(1, Math.floor(fit)));
}

function setSplit(percent) {
  $('#compare-before').style.clipPath = `inset(0 ${100 - percent}% 0 0)`;
  $('#compare-line').style.left = `${percent}%`;
}

/** Opens the dialog for a grid cell (its canvas, seed and log) against the original. */
export function openInspect({ canvas, index, seed, recipeSeed, log, original, imageName, png }) {
  const target = $('#inspect-canvas');
  target.width = canvas.width;
  target.height = canvas.height;
  target.getContext('2d').drawImage(canvas, 0, 0);
  const before = $('#compare-before');
  before.width = canvas.width;
  before.height = canvas.height;
  const bctx = before.getContext('2d');
  bctx.imageSmoothingQuality = 'high';
  bctx.drawImage(original, 0, 0, canvas.width, canvas.height);
  const sameSize = original.width === canvas.width && original.height === canvas.height;
  $('#compare-note').textContent = sameSize ? '' : `The sample is ${canvas.width}×${canvas.height}, the original ${original.width}×${original.height}: the original is scaled to compare.`;
  current = { png, name: `${imageName.replace(/\.[^.]+$/, '')}_${index}.png` };
  $('#inspect-title').textContent = `Sample ${index + 1}`;
  $('#inspect-seed').textContent = `Sample seed ${seed} (recipe seed ${recipeSeed}); the same recipe and sample seed give the same pixels in any browser, node and the augplay command line.`;
  $('#inspect-log').textContent = log;
  const sampleData = target.getContext('2d').getImageData(0, 0, target.width, target.height);
  const originalData = original.getContext('2d').getImageData(0, 0, original.width, original.height);
  drawHistogram($('#hist-before'), histogram(originalData));
  drawHistogram($('#hist-after'), histogram(sampleData));
  $('#split').value = '50';
  setSplit(50);
  $('#pixel').textContent = 'Point at the image to read a pixel.';
  $('#inspect').showModal();
  fitZoom();
}

export function wireInspect() {
  $('#zoom').addEventListener('input', () => setZoom(Number($('#zoom').value)));
  $('#split').addEventListener('input', () => setSplit(Number($('#split').value)));
  $('#inspect-stage').addEventListener(
    'wheel',
    (e) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      setZoom(Number($('#zoom').value) + (e.deltaY < 0 ? 1 : -1));
    },
    { passive: false },
  );
  $('#compare').addEventListener('mousemove', (e) => {
    const canvas = $('#inspect-canvas');
    const rect = canvas.getBoundingClientRect();
    const x = Math.floor(((e.clientX - rect.left) / rect.width) * canvas.width);
    const y = Math.floor(((e.clientY - rect.top) / rect.height) * canvas.height);
    if (x < 0 || y < 0 || x >= canvas.width || y >= canvas.height) return;
    const [r, g, b, a] = canvas.getContext('2d').getImageData(x, y, 1, 1).data;
    const [or, og, ob] = $('#compare-before').getContext('2d').getImageData(x, y, 1, 1).data;
    const value = r === g && g === b ? `${r}` : `${r}, ${g}, ${b}`;
    const was = or === og && og === ob ? `${or}` : `${or}, ${og}, ${ob}`;
    $('#pixel').textContent = `x ${x}, y ${y}: ${value}${a !== 255 ? ` (alpha ${a})` : ''} — original ${was}`;
  });
  $('#inspect-download').addEventListener('click', async () => {
    if (!current) return;
    try {
      saveBlob(new Blob([await current.png()], { type: 'image/png' }), current.name);
    } catch (error) {
      $('#pixel').textContent = `The PNG could not be made: ${error.message}`;
    }
  });
}

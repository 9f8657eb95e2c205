/**
 * Seeing images: OCR of screenshots (PP-OCRv4 in worker processes) and the issue found in their text.
 *
 *   latency     one image at a time through one warm worker: ms per screenshot (p50, p99), by size
 *   throughput  all screenshots at once through a pool of 1 and of 2 workers: images/s
 *   memory      peak resident memory (VmHWM) of this process and of each OCR worker
 *   accuracy    the issue found in each screenshot's text against the issue it was drawn with (or none)
 *   detector    the learned detector (MobileNetV2 features + nearest neighbours) on rendered parcel photos with
 *               few examples per class: leave-one-out and a held-out split; ms per image (embed + detect)
 *
 * The screenshots are rendered here (sharp, Noto CJK): Chinese and English, error banners in colour, phone
 * (720 × 1280) and desktop-dialog (720 × 400) sizes.
 *
 *   npm run bench -- vision
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadIssueTaxonomy } from '../bot/perceive/issues.ts';
import { createOcrReader } from '../bot/perceive/ocr.ts';
import { issueInText } from '../bot/perceive/read-issue.ts';
import { screenshot, type ScreenshotSpec } from '../test/helpers/images.ts';
import { parcelPhoto, type PhotoKind } from '../test/helpers/photos.ts';
import { loadImageModerator } from '../bot/compliance/image.ts';
import { mobileNetEmbedder } from '../bot/perceive/image-embedder.ts';
import { learnIssueDetector, leaveOneOut } from '../bot/perceive/learned-issues.ts';

interface Labelled {
  spec: ScreenshotSpec;
  issue: string | null;
}

const RED = '#d93025';
const AMBER = '#f29900';
const BLUE = '#1a73e8';
const SET: Labelled[] = [
  { issue: 'payment_failed', spec: { banner: { text: '支付失败 错误代码 1024', color: RED }, lines: ['请更换支付方式后重试', '订单号 A20240512'] } },
  { issue: 'payment_failed', spec: { banner: { text: 'Payment declined', color: RED }, lines: ['Your card was declined.', 'Error code: E-502'] } },
  { issue: 'payment_failed', spec: { banner: { text: '交易失败', color: AMBER }, lines: ['银行卡余额不足'] } },
  { issue: 'payment_failed', spec: { banner: { text: 'Transaction failed', color: RED }, lines: ['Insufficient funds', 'Total 128.00 CNY'], height: 1280 } },
  { issue: 'app_error', spec: { banner: { text: 'Something went wrong', color: RED }, lines: ['Please try again later.', 'Error code 500'] } },
  { issue: 'app_error', spec: { banner: { text: '系统繁忙', color: AMBER }, lines: ['请稍后重试'], height: 1280 } },
  { issue: 'app_error', spec: { lines: ['网络错误，加载失败', '点击重新加载'] } },
  { issue: 'login_problem', spec: { banner: { text: '登录失败', color: RED }, lines: ['账号或密码错误'] } },
  { issue: 'login_problem', spec: { lines: ['Login failed', 'Incorrect password. 2 tries left.'], height: 1280 } },
  { issue: 'delivery_problem', spec: { banner: { text: '物流异常', color: AMBER }, lines: ['包裹滞留在转运中心', '运单号 SF1234567890'] } },
  { issue: 'delivery_problem', spec: { lines: ['Delivery exception', 'Tracking number 9400 1000 0000 0000'], height: 1280 } },
  { issue: 'refund_problem', spec: { banner: { text: '退款失败', color: RED }, lines: ['请联系客服处理'] } },
  { issue: 'refund_problem', spec: { lines: ['Refund pending', 'Amount: $25.00'] } },
  { issue: 'receipt', spec: { banner: { text: 'Order confirmation', color: BLUE }, lines: ['Subtotal $42.00', 'Total paid $45.50'], height: 1280 } },
  { issue: 'receipt', spec: { banner: { text: '订单详情', color: BLUE }, lines: ['实付款 ¥99.00'] } },
  { issue: null, spec: { banner: { text: 'Welcome back', color: BLUE }, lines: ['Your orders', 'Recommended for you'] } },
  { issue: null, spec: { lines: ['今日推荐', '新品上架 限时优惠'], height: 1280 } },
  { issue: null, spec: { lines: ['Settings', 'Notifications  On'] } },
  { issue: null, spec: { banner: { text: '我的订单', color: BLUE }, lines: ['全部  待付款  待发货'] } },
  { issue: null, spec: {} },
];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

/** Peak resident memory (VmHWM, kB) of a process, from /proc. */
function peakKb(pid: number | 'self'): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

/** This process's OCR workers, from /proc. */
function ocrWorkers(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) === process.pid && readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('ocr-worker');
      } catch {
        return false;
      }
    })
    .map(Number);
}

export async function run() {
  const taxonomy = loadIssueTaxonomy();
  const images = await Promise.all(SET.map((l) => screenshot(l.spec)));

  // latency: one warm worker, one image at a time, each image read twice
  const one = createOcrReader({ workers: 1, timeoutMs: 60_000 });
  await one.read(images[0]!);
  const latencies: { ms: number; tall: boolean }[] = [];
  const texts: string[] = [];
  for (let round = 0; round < 2; round++) {
    for (const [i, bytes] of images.entries()) {
      const started = performance.now();
      const lines = await one.read(bytes);
      latencies.push({ ms: performance.now() - started, tall: (SET[i]!.spec.height ?? 400) > 400 });
      if (round === 0) texts.push(lines.map((l) => l.text).join('\n'));
    }
  }
  const oneWorkerPeak = ocrWorkers().map(peakKb);
  await one.close();
  const all = latencies.map((l) => l.ms).sort((a, b) => a - b);
  const bySize = (tall: boolean) => latencies.filter((l) => l.tall === tall).map((l) => l.ms).sort((a, b) => a - b);
  console.log(`latency (1 worker, ${all.length} reads): p50 ${percentile(all, 50).toFixed(0)} ms, p99 ${percentile(all, 99).toFixed(0)} ms`);
  console.log(`  720×400: p50 ${percentile(bySize(false), 50).toFixed(0)} ms; 720×1280: p50 ${percentile(bySize(true), 50).toFixed(0)} ms`);

  // throughput: every screenshot at once, through pools of 1 and 2 workers (warmed first)
  for (const workers of [1, 2]) {
    const pool = createOcrReader({ workers, timeoutMs: 120_000 });
    await Promise.all(Array.from({ length: workers }, (_, i) => pool.read(images[i]!)));
    const started = performance.now();
    await Promise.all([...images, ...images].map((bytes) => pool.read(bytes)));
    const seconds = (performance.now() - started) / 1000;
    const peaks = ocrWorkers().map(peakKb);
    console.log(`throughput (${workers} worker${workers > 1 ? 's' : ''}, ${images.length * 2} images): ${((images.length * 2) / seconds).toFixed(2)} images/s; worker peak memory ${peaks.map(mb).join(', ')}`);
    await pool.close();
  }
  console.log(`memory: this process peak ${mb(peakKb('self'))}; one OCR worker peak ${oneWorkerPeak.map(mb).join(', ')}`);

  // accuracy of the issue found in the text
  let right = 0;
  const wrong: string[] = [];
  SET.forEach((l, i) => {
    const found = issueInText(texts[i]!, taxonomy)?.issue.id ?? null;
    if (found === l.issue) right++;
    else wrong.push(`#${i} expected ${l.issue ?? 'none'}, found ${found ?? 'none'} in "${texts[i]!.replace(/\n/g, ' / ')}"`);
  });
  const withIssue = SET.filter((l) => l.issue).length;
  console.log(`issue from text: ${right}/${SET.length} right (${withIssue} screenshots with an issue of ${new Set(SET.map((l) => l.issue).filter(Boolean)).size} kinds, ${SET.length - withIssue} with none)`);
  for (const w of wrong) console.log(`  ${w}`);

  await detectorBench();
}

/** The learned detector on photos: 3 kinds × 8 pictures; leave-one-out over all, and 4 learned / 4 held out per kind. */
export async function detectorBench() {
  const kinds: [PhotoKind, string][] = [['damaged', 'damaged_item'], ['wrong_item', 'wrong_item'], ['intact', 'none']];
  const model = await loadImageModerator();
  const embedder = mobileNetEmbedder(model);
  const examples: { issue: string; vector: Float32Array; variant: number }[] = [];
  const ms: number[] = [];
  for (const [kind, issue] of kinds) {
    for (let variant = 0; variant < 8; variant++) {
      const bytes = await parcelPhoto(kind, variant);
      const started = performance.now();
      examples.push({ issue, vector: await embedder.embed(bytes), variant });
      if (variant > 0) ms.push(performance.now() - started); // the first builds the features model
    }
  }
  const loo = leaveOneOut(examples);
  const detector = learnIssueDetector(examples.filter((e) => e.variant < 4));
  const held = examples.filter((e) => e.variant >= 4);
  const started = performance.now();
  const right = held.filter((e) => detector.detect(e.vector)?.id === e.issue).length;
  const detectMs = (performance.now() - started) / held.length;
  ms.sort((a, b) => a - b);
  console.log(`detector (mobilenet-v2 + nearest neighbours, ${kinds.length} kinds × 8 rendered photos): leave-one-out ${loo.right}/${loo.total}; 4 learned per kind, held out ${right}/${held.length}`);
  console.log(`  per image: embed p50 ${percentile(ms, 50).toFixed(0)} ms, p99 ${percentile(ms, 99).toFixed(0)} ms; detect ${detectMs.toFixed(2)} ms`);
  model.dispose();
}

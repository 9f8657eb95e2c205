/**
 * The guard stages of the turn pipeline. guard-in masks personal data in the customer's message
 * (in `turn.text` and in `turn.inbound.text`, so nothing unmasked is stored), flags sensitive words,
 * injection and regulated claims, moderates images, and answers a blocked message politely.
 * guard-out checks each drafted message and turns it into what the customer gets.
 * Both write every non-allow finding to the audit log.
 */
import { payloadAsWords } from '../turn/payload.ts';
import type { Reply, Stage, StageOutcome, Turn } from '../turn/types.ts';
import type { AuditEntry, AuditLog } from './audit.ts';
import type { Guard } from './guard.ts';
import type { ImageModerator } from './image.ts';
import type { Direction, RuleHit, Verdict } from './rules.ts';

export interface GuardInOptions {
  /** When given, images the customer sends are moderated (nsfwjs). */
  images?: ImageModerator;
}

function reply(text: string, handoff = false): Reply {
  return { text, sources: [], quickReplies: [], ...(handoff ? { handoff: true } : {}) };
}

function auditEntries(turn: Turn, direction: Direction, hits: RuleHit[]): AuditEntry[] {
  return hits
    .filter((h) => h.action !== 'allow')
    .map((h) => ({
      conversationId: turn.conversation.id,
      direction,
      action: h.action,
      ruleId: h.ruleId,
      detail: { family: h.family, ...(h.match !== undefined ? { match: h.match } : {}), ...(turn.messageId !== undefined ? { messageId: turn.messageId } : {}) },
    }));
}

function outcome(verdict: Verdict, extra: Record<string, unknown> = {}): StageOutcome {
  const rules = [...new Set(verdict.hits.map((h) => h.ruleId))];
  return {
    decision: verdict.decision,
    detail: { rules, ...(verdict.decisive ? { decidedBy: verdict.decisive.ruleId } : {}), ...extra },
  };
}

export function guardInStage(guard: Guard, audit: AuditLog, opts: GuardInOptions = {}): Stage {
  return {
    name: 'guard-in',
    async run(turn) {
      const verdict = guard.checkIn(turn.inbound.text, turn.locale);
      turn.inbound.text = verdict.text;
      // a pressed button whose payload is plain words is read as those words, not as its label
      const words = payloadAsWords(turn.inbound.payload);
      turn.text = words === undefined ? verdict.text : guard.checkIn(words, turn.locale).text;

      const extra: Record<string, unknown> = {};
      if (opts.images && turn.inbound.images.length > 0) {
        const results = await Promise.all(turn.inbound.images.map((img) => (img.bytes ? opts.images!.moderateImage(img.bytes, img.mime) : undefined)));
        const unsafe: number[] = [];
        results.forEach((r, i) => {
          if (!r) return;
          if (!r.safe) {
            unsafe.push(i);
            // Agents never see the unsafe image unblurred: the stored attachment is the blurred copy.
            const img = turn.inbound.images[i]!;
            if (r.blurred) {
              img.bytes = r.blurred;
              img.mime = 'image/png';
            } else delete img.bytes;
            delete img.url;
          }
        });
        extra.images = results.map((r) => (r ? { verdict: r.label, safe: r.safe } : { verdict: 'not-checked' }));
        if (unsafe.length > 0) {
          const hit: RuleHit = { ruleId: 'image.nsfw', family: 'image', action: 'block', reason: 'image', match: `images ${unsafe.join(',')}` };
          verdict.hits.push(hit);
          if (verdict.decision !== 'block') {
            verdict.decision = 'block';
            verdict.decisive = hit;
            verdict.reply = guard.text('image', turn.locale);
          }
        }
      }

      await audit.recordMany(auditEntries(turn, 'in', verdict.hits));
      if (verdict.decision === 'block') {
        turn.replies = [reply(verdict.reply ?? guard.text('blocked', turn.locale))];
        turn.stopped = `blocked by ${verdict.decisive?.ruleId ?? 'guard-in'}`;
      } else if (verdict.decision === 'escalate') {
        turn.replies = [reply(verdict.reply ?? guard.text('escalate', turn.locale), true)];
        turn.stopped = `escalated by ${verdict.decisive?.ruleId ?? 'guard-in'}`;
      }
      return outcome(verdict, extra);
    },
  };
}

export function guardOutStage(guard: Guard, audit: AuditLog): Stage {
  return {
    name: 'guard-out',
    always: true,
    async run(turn) {
      // what compose drafted, or — when an earlier stage settled the turn — what that stage answered
      const candidates = turn.drafts.length ? turn.drafts : turn.replies;
      if (!candidates.length) return { decision: 'allow', detail: { rules: [], note: 'no reply' } };
      const verdicts = candidates.map((candidate) => ({ candidate, verdict: guard.checkOut(candidate.text, turn.locale) }));
      await audit.recordMany(verdicts.flatMap(({ verdict }) => auditEntries(turn, 'out', verdict.hits)));
      turn.replies = verdicts.map(({ candidate, verdict }) => {
        if (verdict.decision === 'block') return reply(verdict.reply ?? guard.text('safe-answer', turn.locale));
        if (verdict.decision === 'escalate') return reply(verdict.reply ?? guard.text('escalate', turn.locale), true);
        return { ...candidate, text: verdict.text };
      });
      // the trace names the strictest verdict of the turn's messages
      const strictest = verdicts.find(({ verdict }) => verdict.decision === 'block') ?? verdicts.find(({ verdict }) => verdict.decision === 'escalate') ?? verdicts.find(({ verdict }) => verdict.decision !== 'allow') ?? verdicts[0]!;
      return outcome(strictest.verdict);
    },
  };
}

/**
 * A quick reply's payload is either a machine payload, `kind:value` (`entry:shipping#delivery-time`,
 * `rating:4`), which a stage acts on, or plain words ("I'd like to talk to a person") that the bot reads
 * as what the customer said, whatever the button's label was.
 */
const MACHINE_PAYLOAD = /^[a-z][a-z-]*:\S/;

/** The payload as the customer's words, when it is plain words; undefined for none or a machine payload. */
export function payloadAsWords(payload: string | undefined): string | undefined {
  return payload?.trim() && !MACHINE_PAYLOAD.test(payload) ? payload : undefined;
}

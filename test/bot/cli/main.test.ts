import { describe, expect, it } from 'vitest';
import { main } from '../../../bot/cli/main.ts';
import { captureIo } from '../../helpers/cli-io.ts';


describe('kefu command line', () => {
  it('lists its commands when asked for help', async () => {
    const c = captureIo();
    expect(await main(['help'], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/kefu start/);
  });

  it('an unknown command is an error that names it, with usage', async () => {
    const c = captureIo();
    expect(await main(['strat'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/unknown command 'strat'/);
    expect(c.out.join('\n')).toMatch(/usage/);
  });

  it('start refuses a port that is not a port', async () => {
    const c = captureIo();
    expect(await main(['start', '--port', 'eighty'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/--port must be a number/);
  });

  it('start refuses a bot folder that does not exist, naming it', async () => {
    const c = captureIo();
    expect(await main(['start', '--bot', 'examples/no-such-bot', '--port', '0'], c.io)).toBe(1);
    expect(c.err.join('\n')).toMatch(/bot folder not found: .*no-such-bot/);
  });

  it('an unknown option is an error, not ignored', async () => {
    const c = captureIo();
    expect(await main(['start', '--prot', '3000'], c.io)).toBe(1);
    expect(c.err.join('\n')).toMatch(/--prot/);
  });
});

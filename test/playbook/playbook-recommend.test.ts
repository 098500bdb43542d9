import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { Playbook } from '../../src/playbook';

const act = (id: string, priority: number) => ({ id, title: id, description: `do ${id}`, priority });

const book = Playbook.fromJSON({
  rules: [
    { id: 'checkin', when: { bandAtLeast: 'medium' }, action: act('email', 9) },
    { id: 'vip', when: { riskAtLeast: 0.7, valueAtLeast: { feature: 'spend', value: 100 } }, action: act('call', 2) },
    { id: 'enterprise', when: { bandAtLeast: 'high', segment: ['Enterprise'] }, action: act('call', 1) },
    { id: 'price', when: { driverMatches: ['\\bbill\\b', 'expensive'] }, action: act('offer', 3) },
    { id: 'tickets', when: { featureAbove: { feature: 'service_calls', value: 3 } }, action: act('ticket', 3) },
  ],
});

describe('Playbook.recommend', () => {
  it('requires every condition of a rule', () => {
    const ids = (input: Parameters<typeof book.recommend>[0]) => book.recommend(input).map((r) => r.id);
    expect(ids({ risk: 0.2, band: 'low' })).toEqual([]);
    expect(ids({ risk: 0.6, band: 'medium', features: { spend: 500 } })).toEqual(['email']);
    expect(ids({ risk: 0.9, band: 'high', features: { spend: 99 } })).toEqual(['email']);
    expect(ids({ risk: 0.9, band: 'high', features: { spend: '500' } })).toEqual(['email']);
    expect(ids({ risk: 0.9, band: 'high', segment: 'smb' })).toEqual(['email']);
  });

  it('compares bands by order, segments case-insensitively, featureAbove strictly', () => {
    expect(book.recommend({ risk: 0.99, band: 'critical', segment: 'enterprise' }).map((r) => r.id)).toEqual([
      'call',
      'email',
    ]);
    expect(book.recommend({ risk: 0.1, band: 'low', features: { service_calls: 3 } })).toEqual([]);
    expect(book.recommend({ risk: 0.1, band: 'low', features: { service_calls: 4 } }).map((r) => r.id)).toEqual([
      'ticket',
    ]);
  });

  it('matches driver patterns case-insensitively against strings or explained phrases', () => {
    const [offer] = book.recommend({
      risk: 0.3,
      band: 'low',
      phrases: [{ text: 'the food was fine' }, { text: 'My BILL doubled' }],
    });
    expect(offer.id).toBe('offer');
    expect(offer.because).toEqual(['driver "My BILL doubled" matches /\\bbill\\b/i']);
    expect(book.recommend({ risk: 0.3, band: 'low', phrases: ['billing address changed'] })).toEqual([]);
  });

  it('de-duplicates actions by id, keeping the most urgent version and every reason', () => {
    const recs = book.recommend({ risk: 0.92, band: 'high', segment: 'Enterprise', features: { spend: 250 } });
    expect(recs.map((r) => r.id)).toEqual(['call', 'email']);
    expect(recs[0]).toMatchObject({ priority: 1, ruleIds: ['vip', 'enterprise'] });
    expect(recs[0].because).toEqual([
      'risk 0.92 ≥ 0.7',
      'spend 250 ≥ 100',
      'band high is at least high',
      'segment Enterprise is one of Enterprise',
    ]);
  });

  it('sorts by priority, then by rule order', () => {
    const recs = book.recommend({
      risk: 0.8,
      band: 'high',
      features: { spend: 120, service_calls: 9 },
      phrases: ['too expensive'],
    });
    expect(recs.map((r) => [r.id, r.priority])).toEqual([
      ['call', 2],
      ['offer', 3],
      ['ticket', 3],
      ['email', 9],
    ]);
  });

  it('rejects a risk outside [0, 1] and an unknown band', () => {
    expect(() => book.recommend({ risk: Number.NaN, band: 'low' })).toThrow(ValidationError);
    expect(() => book.recommend({ risk: 0.5, band: 'severe' as 'low' })).toThrow(/band must be one of/);
  });
});

describe('the default playbook', () => {
  const file = path.resolve(import.meta.dirname, '../../config/default-playbook.json');

  it('loads and sends high-risk, high-value customers to a retention specialist', async () => {
    const playbook = await Playbook.fromFile(file);
    const [first] = playbook.recommend({ risk: 0.88, band: 'high', features: { total_day_charge: 45.07 } });
    expect(first).toMatchObject({ id: 'retention-callback', channel: 'call' });
    const spend = playbook.recommend({
      risk: 0.88,
      band: 'high',
      features: { monthly_spend: 180, total_day_charge: 50 },
    });
    expect(spend.filter((r) => r.id === 'retention-callback')).toHaveLength(1);
    expect(
      playbook.recommend({ risk: 0.88, band: 'high', features: { total_day_charge: 20 } }).map((r) => r.id),
    ).toEqual(['check-in-email']);
  });

  it('maps complaint drivers to their actions', async () => {
    const playbook = await Playbook.fromFile(file);
    const idsFor = (phrase: string) =>
      playbook.recommend({ risk: 0.7, band: 'medium', phrases: [phrase] }).map((r) => r.id);
    expect(idsFor('the price went up again and it is way too expensive')).toContain('plan-review-offer');
    expect(idsFor('another outage, calls keep dropping')).toContain('technical-escalation');
    expect(idsFor('I waited two weeks and support never answered')).toContain('priority-support-callback');
    expect(idsFor('my order is late and one box is missing')).toContain('shipping-credit');
    expect(idsFor('the app is not working')).toEqual(['technical-escalation', 'check-in-email']);
    expect(playbook.recommend({ risk: 0.99, band: 'critical' }).map((r) => r.id)).toEqual([
      'manager-outreach',
      'check-in-email',
    ]);
    expect(playbook.recommend({ risk: 0.1, band: 'low', phrases: ['too expensive'] })).toEqual([]);
  });
});

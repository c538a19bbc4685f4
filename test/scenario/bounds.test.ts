import { describe, expect, it } from 'vitest';
import { parseScenario, parseScenarioBytes, ScenarioError } from '../../src/drive/scenario/parse';

/** Durations and rates a simulation could never finish, or that would livelock it at one instant, are refused by name. */
const file = (options: object, steps: object[] = [{ waitFor: 'leader' }]) => JSON.stringify({ options, steps });

describe('scenario bounds', () => {
  const bad: [string, string, RegExp][] = [
    ['heartbeat 1e-300', file({ heartbeat: 1e-300 }), /"options.heartbeat": at least 1 ms/],
    ['heartbeat 0', file({ heartbeat: 0 }), /"options.heartbeat"/],
    ['electionTimeout [0, 0]', file({ electionTimeout: [0, 0] }), /"options.electionTimeout.0": at least 1 ms/],
    ['electionTimeout [300, 150]', file({ electionTimeout: [300, 150] }), /"options.electionTimeout": electionTimeout must be \[MIN, MAX\] with MIN ≤ MAX/],
    ['latency [50, 20]', file({ latency: [50, 20] }), /"options.latency": latency must be/],
    ['electionTimeout 1e15', file({ electionTimeout: [150, 1e15] }), /"options.electionTimeout.1": at most 60000 ms/],
    ['wait 1e15', file({}, [{ wait: 1e15 }]), /step 0 \(wait\): "wait": at most 3600000 ms/],
    ['timeout 1e15', file({}, [{ execute: 'SELECT 1', timeout: 1e15 }]), /"timeout": at most/],
    ['latency step [0, 1e9]', file({}, [{ latency: [0, 1e9] }]), /"latency.1": at most 60000 ms/],
  ];
  for (const [what, text, message] of bad) {
    it(`refuses ${what}`, () => {
      expect(() => parseScenario(text)).toThrow(ScenarioError);
      expect(() => parseScenario(text)).toThrow(message);
    });
  }

  it('takes the defaults and ordinary values', () => {
    expect(parseScenario(file({ heartbeat: 50, electionTimeout: [150, 300], latency: [5, 15] }, [{ wait: 3_600_000 }])).steps).toHaveLength(1);
  });

  it('refuses invalid UTF-8 instead of replacing it', () => {
    const good = new TextEncoder().encode(file({}, [{ execute: "INSERT INTO t VALUES ('é')" }]));
    expect(parseScenarioBytes(good).steps).toHaveLength(1);
    const bytes = new Uint8Array([...good.subarray(0, 40), 0xff, 0xfe, ...good.subarray(40)]);
    expect(() => parseScenarioBytes(bytes)).toThrow(/not valid UTF-8 \(first bad byte at offset 40\)/);
  });
});

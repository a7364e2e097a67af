/** A policy criterion read from the fhirpath parse tree and compiled with the clock bound to the request. */
import fhirpath from 'fhirpath';
import type { Bundle } from 'fhir/r4';
import { criterionCompiler, readExpression, type CriterionEnv } from '../../src/benefit/criterion';
import { draftOrder } from './helpers';

const EMPTY: Bundle = { resourceType: 'Bundle', type: 'collection', entry: [] };
const env = (now: string): CriterionEnv => ({ pgx: {}, tried: [], now, order: draftOrder('ticagrelor') });

describe('what an expression reads, from its parse tree', () => {
  it('variables in every written form, and the members read under each', () => {
    const r = readExpression("%pgx.CYP2C19.phenotype = 'x' and %pgx.`HLA-B`.phenotype.exists() and %`tried` contains '1' and %'order'.id.exists()");
    expect([...r.variables].sort()).toEqual(['order', 'pgx', 'tried']);
    expect(r.members.get('pgx')).toEqual(['CYP2C19', 'HLA-B']);
    expect(r.members.get('order')).toEqual(['id']);
    expect(r.readsClock).toBe(false);
  });

  it('a variable name inside a string literal is not a read', () => {
    expect([...readExpression("entry.resource.ofType(Condition).where(note.text = '%pgx.CYP2D6').exists()").variables]).toEqual([]);
  });

  it('now(), today() and timeOfDay() are clock reads; a member named now is not', () => {
    expect(readExpression('today() > @2020-01-01').readsClock).toBe(true);
    expect(readExpression("entry.resource.ofType(Condition).where(recordedDate < now()).exists()").readsClock).toBe(true);
    expect(readExpression('timeOfDay().exists()').readsClock).toBe(true);
    expect(readExpression("%now > '2020'").readsClock).toBe(false);
    expect(readExpression('entry.resource.ofType(Observation).now.exists()').readsClock).toBe(false);
  });

  it('a syntax error throws (the catalogue reports it with the criterion id)', () => {
    expect(() => readExpression('entry.resource.ofType(')).toThrow();
  });
});

describe('the clock functions return the request’s time', () => {
  it('now(), today() and timeOfDay() are the instant the caller passes, at every precision', () => {
    const compile = criterionCompiler();
    const c = compile('now() = @2031-01-10T09:15:00.000Z and today() = @2031-01-10 and timeOfDay() = @T09:15:00.000');
    expect(c.evaluate(EMPTY, env('2031-01-10T09:15:00.000Z'))).toEqual([true]);
    expect(c.evaluate(EMPTY, env('2031-01-11T09:15:00.000Z'))).toEqual([false]);
  });

  it('date arithmetic works on them as on the built-in values', () => {
    const c = criterionCompiler()('(today() - 30 days) = @2030-12-11 and (now() + 1 hour) > @2031-01-10T10:00:00Z');
    expect(c.evaluate(EMPTY, env('2031-01-10T09:15:00.000Z'))).toEqual([true]);
  });

  it('criteria without a clock read are compiled alone; the clock conversion is compiled once, with the first that reads it', () => {
    const spy = jest.spyOn(fhirpath, 'compile');
    try {
      const compile = criterionCompiler();
      compile("%tried contains '1'");
      expect(spy).toHaveBeenCalledTimes(1);
      compile('today() > @2020-01-01');
      compile('now() > @2020-01-01T00:00:00Z');
      expect(spy).toHaveBeenCalledTimes(4);
      spy.mockClear();
      compile('today() > @2020-01-01').evaluate(EMPTY, env('2031-01-10T09:15:00.000Z'));
      expect(spy).toHaveBeenCalledTimes(1); // the criterion itself, never at evaluation
    } finally {
      spy.mockRestore();
    }
  });
});

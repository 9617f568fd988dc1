// `costctl models …`: the versioned price catalog.
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { UsageError } from '../errors.js';
import {
  addJsonFlag,
  choiceOption,
  collect,
  dateText,
  fraction,
  nonNegativeDecimal,
  whenFlag,
} from '../cli/options.js';
import { handler } from '../cli/handler.js';
import { BILLING_UNITS, COST_TYPES, type BillingUnit, type CostType } from '../domain/catalog-types.js';
import { Decimal } from '../domain/money.js';
import { localCell } from '../render/local-time.js';
import { renderJson } from '../render/json.js';
import { renderModelDetail, renderModelList, modelListJson, priceSource, versionJson } from '../render/models.js';
import { BEGINNING, listModels, modelDetail } from '../services/prices/catalog.js';
import { addModel, removeModel } from '../services/prices/catalog-write.js';
import { newModelSpecs } from '../services/prices/model-input.js';
import {
  CATALOG_FORMATS,
  detectCatalogFormat,
  importCatalog,
  type CatalogFormat,
} from '../services/prices/import/apply.js';
import { isCalendarDay } from '../domain/calendar-day.js';
import { importReportJson, renderImportReport } from '../render/catalog-import.js';
import { addPriceFlags, priceFlags } from './price-flags.js';
import { adjustmentJson } from '../render/price-adjustments.js';

/** A catalog's own date: a calendar day, kept as written. */
function catalogDate(value: string): string {
  if (!isCalendarDay(value)) throw new InvalidArgumentError(`"${value}" must be a date YYYY-MM-DD`);
  return value;
}

export function registerModels(program: Command): void {
  const models = program.command('models').description('the model price catalog (versioned)');

  addJsonFlag(
    models
      .command('list')
      .description('models with their current prices')
      .option('--provider <name>', 'only this provider')
      .option('--search <text>', 'name or alias contains text'),
  ).action(
    handler(async (ctx, opts: { provider?: string; search?: string; json?: boolean }) => {
      const items = await ctx.withDb((db) => listModels(db, opts, ctx.now()));
      ctx.out(
        opts.json
          ? renderJson(modelListJson(items))
          : items.length
            ? renderModelList(items)
            : 'No models. Import a catalog with `costctl models import FILE` or run `costctl init`.',
      );
    }),
  );

  addJsonFlag(models.command('show').description('one model and all its price versions').argument('<name>')).action(
    handler(async (ctx, opts: { json?: boolean }, name: string) => {
      const detail = await ctx.withDb((db) => modelDetail(db, name));
      ctx.out(
        opts.json
          ? renderJson({
              ...detail.model,
              aliases: detail.aliases,
              versions: detail.versions.map((v) => ({ ...versionJson(v), ...priceSource(detail.sources.get(v.id)) })),
              adjustments: detail.adjustments.map(adjustmentJson),
            })
          : renderModelDetail(
              detail.model,
              detail.aliases,
              detail.versions,
              detail.sources,
              detail.adjustments,
              ctx.config.tz,
            ),
      );
    }),
  );

  addPriceFlags(
    models
      .command('add')
      .description('add a model with its first price version (prices per --unit-size units)')
      .argument('<name>')
      .requiredOption('--provider <name>', 'provider, e.g. openai, anthropic')
      .addOption(choiceOption('--billing-unit <unit>', 'what the input price counts', BILLING_UNITS, 'token'))
      .option('--unit-size <n>', 'units per price (default 1000 for tokens, else 1)', nonNegativeDecimal)
      .option('--model-type <type>', 'chat, embedding, image, audio, …', 'chat')
      .addOption(choiceOption('--cost-type <type>', 'kind of cost', COST_TYPES, 'ai_api'))
      .option('--currency <code>', 'ISO 4217 currency', 'USD')
      .option('--alias <name>', 'another name for this model (repeatable)', collect, [])
      .option('--effective-from <date>', 'first day these prices apply (default: always)', dateText),
  ).action(
    handler(async (ctx, opts, name: string) => {
      const unit = opts.billingUnit as BillingUnit;
      const effectiveFrom = whenFlag('--effective-from', opts.effectiveFrom, ctx.config.tz, ctx.now()) ?? BEGINNING;
      const { model, price } = newModelSpecs({
        name,
        provider: opts.provider,
        billingUnit: unit,
        unitSize: opts.unitSize,
        modelType: opts.modelType,
        costType: opts.costType as CostType,
        currency: opts.currency,
        aliases: opts.alias,
        prices: priceFlags(opts),
        effectiveFrom,
      });
      const unitSize = price.unitSize;
      await ctx.withDb((db) => addModel(db, model, price, ctx.now()), { mutates: true });
      ctx.err(
        `added ${name} (${unit} prices per ${unitSize.toFixed()} units, effective ${effectiveFrom.getTime() === BEGINNING.getTime() ? 'always' : `${localCell(effectiveFrom.toISOString(), ctx.config.tz)} ${ctx.config.tz}`})`,
      );
    }),
  );

  addPriceFlags(
    models
      .command('update')
      .description('a new price version; unchanged prices carry over, history is kept')
      .argument('<name>')
      .option('--unit-size <n>', 'units per price', nonNegativeDecimal)
      .option('--alias <name>', 'add another name for this model (repeatable)', collect, [])
      .option('--effective-from <date>', 'when the new prices apply (default: now)', dateText),
  ).action(
    handler(async (ctx, opts, name: string) => {
      const given = priceFlags(opts);
      const effectiveFrom = whenFlag('--effective-from', opts.effectiveFrom, ctx.config.tz, ctx.now()) ?? ctx.now();
      const { updateModel } = await import('../services/prices/catalog-write.js');
      const result = await ctx.withDb(
        (db) =>
          updateModel(
            db,
            name,
            { prices: given, unitSize: opts.unitSize, aliases: opts.alias, effectiveFrom },
            ctx.now(),
          ),
        { mutates: true },
      );
      ctx.err(
        `updated ${result}: new prices effective ${localCell(effectiveFrom.toISOString(), ctx.config.tz)} ${ctx.config.tz}`,
      );
    }),
  );

  models
    .command('remove')
    .description('remove a model (refused while usage rows reference it, unless --force)')
    .argument('<name>')
    .option('--force', 'remove even though usage rows reference it')
    .action(
      handler(async (ctx, opts: { force?: boolean }, name: string) => {
        const { usageRows } = await ctx.withDb((db) => removeModel(db, name, Boolean(opts.force)), { mutates: true });
        ctx.err(`removed ${name}${usageRows ? ` (${usageRows} usage rows keep their stored costs)` : ''}`);
      }),
    );

  addJsonFlag(
    models
      .command('import')
      .description(
        "import prices: LiteLLM's model_prices_and_context_window.json, genai-prices' data.json, Langfuse's default-model-prices.json or a CSV",
      )
      .argument('<file>')
      .addOption(choiceOption('--format <format>', 'file format (default: detected)', CATALOG_FORMATS))
      .option('--effective-from <date>', 'when changed prices apply (default: now)', dateText)
      .option('--catalog-date <date>', "the catalog's own date, shown with its prices (YYYY-MM-DD)", catalogDate),
  ).action(
    handler(
      async (
        ctx,
        opts: { format?: CatalogFormat; effectiveFrom?: string; catalogDate?: string; json?: boolean },
        file: string,
      ) => {
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (e) {
          throw new UsageError(
            `${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
          );
        }
        const format = opts.format ?? detectCatalogFormat(file, text);
        const effectiveFrom = whenFlag('--effective-from', opts.effectiveFrom, ctx.config.tz, ctx.now());
        const report = await ctx.withDb(
          (db) =>
            importCatalog(db, file, format, text, { now: ctx.now(), effectiveFrom, catalogDate: opts.catalogDate }),
          { mutates: true },
        );
        ctx.out(opts.json ? renderJson(importReportJson(file, report)) : renderImportReport(file, report));
      },
    ),
  );

  addJsonFlag(
    models
      .command('sync')
      .description(
        "fetch a publisher's current catalog (HTTPS) and apply it like an import; a bad download changes nothing",
      )
      .option('--source <name|url>', 'litellm, genai-prices, langfuse or an https:// URL', 'litellm')
      .addOption(choiceOption('--format <format>', 'file format of a URL (default: detected)', CATALOG_FORMATS))
      .option('--allow-removals', 'apply even if the download lacks many models this catalog priced'),
  ).action(
    handler(async (ctx, opts: { source: string; format?: CatalogFormat; allowRemovals?: boolean; json?: boolean }) => {
      const { resolveSyncSource, syncCatalog } = await import('../services/prices/sync.js');
      resolveSyncSource(opts.source); // a bad --source is a usage error before the database is opened
      const report = await ctx.withDb(
        (db) =>
          syncCatalog(db, {
            source: opts.source,
            format: opts.format,
            allowRemovals: Boolean(opts.allowRemovals),
            now: ctx.now(),
          }),
        { mutates: true },
      );
      if (opts.json) {
        ctx.out(renderJson({ ...importReportJson(report.url, report), missing: report.missing }));
        return;
      }
      ctx.out(renderImportReport(report.url, report));
      if (report.missing.length)
        ctx.out(`no longer listed (kept with their prices): ${report.missing.slice(0, 20).join(', ')}`);
    }),
  );

  addJsonFlag(
    models
      .command('diff')
      .description('compare the bundled catalogs (LiteLLM, genai-prices, Langfuse) on the models in use')
      .option('--model <name>', 'compare this model instead of those usage rows name (repeatable)', collect, [])
      .option('--threshold <fraction>', 'list prices that differ by more than this share of the lower', fraction),
  ).action(
    handler(async (ctx, opts: { model: string[]; threshold?: Decimal; json?: boolean }) => {
      const { bundledDiffCatalogs, diffCatalogs, modelsInUse } = await import('../services/prices/diff.js');
      const names = opts.model.length ? opts.model : await ctx.withDb((db) => modelsInUse(db));
      if (names.length === 0) throw new UsageError('no usage rows name a model yet; give one with --model NAME');
      const rows = diffCatalogs(bundledDiffCatalogs(), names, {
        threshold: opts.threshold ?? new Decimal('0.05'),
        at: ctx.now(),
      });
      const { catalogDiffJson, renderCatalogDiff } = await import('../render/catalog-diff.js');
      ctx.out(opts.json ? renderJson(catalogDiffJson(rows)) : renderCatalogDiff(rows));
    }),
  );
}

import {
  POSITIONS_CSV_TEMPLATE,
  POSITIONS_CSV_TEMPLATE_FILE_NAME,
} from '../../domain/csv/csv-template.ts';
import { ACCOUNT_TYPES } from '../../db/schema/enums.ts';
import { businessToday } from '../../services/portfolios/business-date.ts';
import {
  checkCsv,
  createPortfolioFromUpload,
  CSV_FIELD,
  missingFileError,
  validationBody,
} from '../../services/portfolios/onboarding-upload.ts';
import { UPLOAD_FIELD_NAMES } from '../../services/portfolios/portfolio-fields.ts';
import { csvValidationResponse, uploadCreateResponse } from '../../services/portfolios/schemas.ts';
import { ApiError } from '../api-error.ts';
import { readMultipartForm } from '../multipart-form.ts';
import { defineRoute, type Route } from '../openapi/define-route.ts';
import { outcomeValue } from './portfolios.ts';

const csvFileField = {
  type: 'file',
  required: true,
  description: 'The positions CSV (SPEC §2; GET /onboarding/csv-template), at most 10 MB',
} as const;

/** /onboarding: the CSV template and the two uploads. */
export const onboardingUploadRoutes: Route[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/onboarding/csv-template',
    tag: 'onboarding',
    summary:
      'The positions CSV template: every column explained, one example row per kind of position',
    auth: 'none',
    success: { status: 200, description: 'A CSV attachment', contentType: 'text/csv' },
    handler: (c) =>
      c.body(POSITIONS_CSV_TEMPLATE, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${POSITIONS_CSV_TEMPLATE_FILE_NAME}"`,
      }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/onboarding/validate-csv',
    tag: 'onboarding',
    summary: 'Dry run: the parsed positions and every error of a positions CSV; writes nothing',
    auth: 'user',
    multipart: { [CSV_FIELD]: csvFileField },
    success: { status: 200, description: 'The validation result', schema: csvValidationResponse },
    errors: {
      400: 'ERR_INVALID_MULTIPART, ERR_PORT_007',
      413: 'ERR_CSV_001',
      429: 'ERR_UPLOAD_BUSY (another upload of yours is being checked; Retry-After)',
    },
    handler: async (c, { ctx }) => {
      const form = await readMultipartForm(c);
      const file = await form.file(CSV_FIELD);
      if (file === undefined || file === 'not_a_file') {
        const e = missingFileError(file);
        throw new ApiError(400, e.code, e.message);
      }
      return c.json(validationBody(await checkCsv(file, businessToday(ctx.now()))));
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/onboarding/create-portfolio',
    tag: 'onboarding',
    summary:
      'Create a portfolio with the positions of a CSV: all of them or, on any error, nothing',
    auth: 'user',
    multipart: {
      [UPLOAD_FIELD_NAMES.name]: {
        type: 'string',
        required: true,
        description: '≤ 255 characters',
      },
      [UPLOAD_FIELD_NAMES.accountName]: {
        type: 'string',
        required: true,
        description: 'Unique among your portfolios; ≤ 100 characters',
      },
      [UPLOAD_FIELD_NAMES.accountType]: {
        type: 'string',
        required: true,
        description: ACCOUNT_TYPES.join(', '),
      },
      [UPLOAD_FIELD_NAMES.equityBalance]: {
        type: 'string',
        required: true,
        description: 'Account value in dollars (> 0, ≤ 1e12); "250,000.00" is accepted',
      },
      [UPLOAD_FIELD_NAMES.description]: { type: 'string', required: false },
      [CSV_FIELD]: csvFileField,
    },
    success: { status: 201, description: 'The new portfolio', schema: uploadCreateResponse },
    errors: {
      400: 'ERR_PORT_002…011 (form fields), ERR_PORT_008 (CSV invalid: details.errors, details.total_errors), ERR_INVALID_MULTIPART',
      409: 'ERR_PORT_001 (account name already used)',
      413: 'ERR_CSV_001',
      429: 'ERR_UPLOAD_BUSY (another upload of yours is being checked; Retry-After)',
    },
    handler: async (c, { ctx }) => {
      const form = await readMultipartForm(c);
      const outcome = await createPortfolioFromUpload(c.get('database').db, {
        userId: c.get('user').id,
        fields: {
          name: form.text(UPLOAD_FIELD_NAMES.name),
          accountName: form.text(UPLOAD_FIELD_NAMES.accountName),
          accountType: form.text(UPLOAD_FIELD_NAMES.accountType),
          equityBalance: form.text(UPLOAD_FIELD_NAMES.equityBalance),
          description: form.text(UPLOAD_FIELD_NAMES.description),
        },
        file: await form.file(CSV_FIELD),
        today: businessToday(ctx.now()),
      });
      const { portfolio, positionsImported } = outcomeValue(outcome);
      return c.json(
        {
          portfolio_id: portfolio.id,
          portfolio_name: portfolio.name,
          account_name: portfolio.accountName,
          account_type: portfolio.accountType,
          equity_balance: portfolio.equityBalance,
          positions_imported: positionsImported,
          // The upload is atomic: a row that fails rejects the whole file, so none "fail" here.
          positions_failed: 0,
          total_positions: positionsImported,
          message:
            `Portfolio "${portfolio.name}" created with ${positionsImported} position` +
            `${positionsImported === 1 ? '' : 's'}. Start the calculation to get analytics.`,
          next_step: {
            action: 'calculate' as const,
            endpoint: `/api/v1/portfolios/${portfolio.id}/calculate`,
          },
        },
        201,
      );
    },
  }),
];

// Imports each module the program takes from a part (scripts/build-options.mjs: PARTS) the ways the
// program does: tests/cli/parts.test.ts compares what it gets from source with what the bundle gets.
import InkOutput from '../../node_modules/ink/build/output.js';
import MailComposer from 'nodemailer/lib/mail-composer';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import iconv from 'iconv-lite';
import pg from 'pg';
import React from 'react';
import * as reactNamed from 'react';
import * as jsxRuntime from 'react/jsx-runtime';
import * as ink from 'ink';
import * as imapflow from 'imapflow';
import * as mailparser from 'mailparser';
import * as htmlToText from 'html-to-text';
import * as csvSync from 'csv-parse/sync';
import * as liquidjs from 'liquidjs';
import * as zod from 'zod';
import * as pgNamed from 'pg';

export const defaults = { InkOutput, MailComposer, SMTPConnection, iconv, pg, React };
export const namespaces = { reactNamed, jsxRuntime, ink, imapflow, mailparser, htmlToText, csvSync, liquidjs, zod, pgNamed };
export const yaml = () => import('yaml');

/**
 * Routing rules: a tenant's YAML -> validated rules -> a plan per call (which targets, in
 * which order, with which retry policy and timeout, and why).
 */
export { featuresOf, metadataFromHeaders, type FeatureContext, type RequestFeatures } from "./features";
export { parseRoutingRules, rulesFromStored, invalidRules, type ParseOptions, type ParseResult } from "./parse";
export { candidateModels, DEFAULT_RETRY, defaultTimeoutMs, firstMatch, planRoute, unfitReason } from "./plan";
export { EXPECTED_OUTPUT_TOKENS, estimatedCostUsd } from "./strategies";
export { invalidateRoutingRules, loadRoutingRules, readRoutingRules } from "./store";
export { modelChecker, targetDetails, type HealthReading, type HealthSource, type TargetDetails } from "./target-info";
export { REQUESTED_MODEL } from "./types";
export type { PlannedTarget, RetryPolicy, RoutePlan, RoutingRules, Rule, RuleProblem, Strategy, TargetInfo } from "./types";

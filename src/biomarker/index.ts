export * from './types';
export { readTumourProfile, isSomaticVariant, isTumourBiomarkerCode, shortProtein } from './observations';
export { indexOncologyKnowledge, identifyOncologyDrug, type OncologyKnowledge } from './knowledge';
export { assessOncologyOrder, judgeRequirement, supportedTherapies, describeFinding } from './assess';
export { biomarkerVariables, companionDiagnosticVariable, type MarkerVariable, type CompanionDiagnosticVariable } from './variables';

// The providers a tenant keeps keys for, in the order of the API's enum, with what a person needs to know.
import { fields } from "../api/fields";

export type Provider = (typeof fields)["CredentialIn.provider"]["enum"][number];

export const PROVIDERS: Record<Provider, { name: string; role: string; shape: string }> = {
  openai: { name: "OpenAI", role: "The voice engine of OpenAI Realtime agents.", shape: "Starts with sk-." },
  avaturn: { name: "Avaturn", role: "The avatar: every agent needs it.", shape: "The API key from your Avaturn account." },
  cartesia: { name: "Cartesia", role: "The voice engine of Cartesia agents.", shape: "Starts with sk_car_." },
};

export const PROVIDER_ORDER: readonly Provider[] = fields["CredentialIn.provider"].enum;

export function providerName(provider: string): string {
  return provider in PROVIDERS ? PROVIDERS[provider as Provider].name : provider;
}

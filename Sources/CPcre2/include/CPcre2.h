// CPcre2: PCRE2's 8-bit API. Its function names are macros (pcre2_compile → pcre2_compile_8)
// chosen by PCRE2_CODE_UNIT_WIDTH, and its option constants are macros; wrap what Sluice uses.
#ifndef SLUICE_CPCRE2_H
#define SLUICE_CPCRE2_H
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

typedef pcre2_code_8 sluice_pcre2_code;
typedef pcre2_match_data_8 sluice_pcre2_match_data;

static inline uint32_t sluice_pcre2_caseless(void) { return PCRE2_CASELESS; }
static inline uint32_t sluice_pcre2_multiline(void) { return PCRE2_MULTILINE; }
static inline uint32_t sluice_pcre2_literal(void) { return PCRE2_LITERAL; }
static inline uint32_t sluice_pcre2_no_utf_check(void) { return PCRE2_NO_UTF_CHECK; }
static inline uint32_t sluice_pcre2_utf(void) { return PCRE2_UTF; }
static inline uint32_t sluice_pcre2_ucp(void) { return PCRE2_UCP; }
static inline uint32_t sluice_pcre2_match_invalid_utf(void) { return PCRE2_MATCH_INVALID_UTF; }

static inline pcre2_code_8 *sluice_pcre2_compile(const uint8_t *pattern, size_t length, uint32_t options,
                                                 int *error_code, size_t *error_offset) {
    return pcre2_compile_8(pattern, length, options, error_code, error_offset, NULL);
}
static inline int sluice_pcre2_jit_compile(pcre2_code_8 *code) {
    return pcre2_jit_compile_8(code, PCRE2_JIT_COMPLETE);
}
static inline pcre2_match_data_8 *sluice_pcre2_match_data_create(const pcre2_code_8 *code) {
    return pcre2_match_data_create_from_pattern_8(code, NULL);
}
/// Match with the JIT when it compiled, else the interpreter. Returns > 0 on a match.
static inline int sluice_pcre2_match(const pcre2_code_8 *code, int jit, const uint8_t *subject, size_t length,
                                     size_t start, pcre2_match_data_8 *match) {
    if (jit) return pcre2_jit_match_8(code, subject, length, start, 0, match, NULL);
    return pcre2_match_8(code, subject, length, start, 0, match, NULL);
}
static inline size_t sluice_pcre2_match_start(pcre2_match_data_8 *match) {
    return pcre2_get_ovector_pointer_8(match)[0];
}
static inline size_t sluice_pcre2_match_end(pcre2_match_data_8 *match) {
    return pcre2_get_ovector_pointer_8(match)[1];
}
static inline void sluice_pcre2_free(pcre2_code_8 *code, pcre2_match_data_8 *match) {
    pcre2_match_data_free_8(match);
    pcre2_code_free_8(code);
}
static inline int sluice_pcre2_error_message(int code, uint8_t *buffer, size_t size) {
    return pcre2_get_error_message_8(code, buffer, size);
}
#endif

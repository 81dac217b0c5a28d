/*
 * PLT stubs named NAME@plt after the function they jump to, from the
 * dynamic relocations: .plt and .plt.sec through the JUMP_SLOT ones (an
 * x86-64 stub by the GOT slot it jumps through, others by their place),
 * .plt.got through the GLOB_DAT ones, IRELATIVE ones by their resolver.
 */
#ifndef RS_SYMTAB_PLT_H
#define RS_SYMTAB_PLT_H

struct symtab_cands;
struct symtab_elf;

/* Add NAME@plt candidates for e's stubs (e's machine: x86-64, i386, aarch64). */
void symtab_plt_cands(struct symtab_cands *cs, const struct symtab_elf *e);

#endif

/* soc_ifc from the core's side (README.md, "soc_ifc"), expectations from soc_ifc_*_reg.rdl,
 * soc_ifc_top.sv and wdt.sv: CPTRA_HW_REV_ID with the stepping fuse (soc_ifc_fuses.txt),
 * fuse and secret visibility, generic wires, mtime/mtimecmp and the machine timer
 * interrupt, WDT timer1 timeout through the soc_ifc error interrupt (PIC source 19) and its
 * servicing, and internal_iccm_lock: a locked ICCM refuses stores (bus error -> NMI) and
 * raises error_iccm_blocked. The ROM ends the first pass with internal_fw_update_reset and
 * checks in the second that the reset unlocked the ICCM. */
#include "cptra_test.h"

#define ICCM_WORD (ICCM_BASE + 0x100)
#define STEPPING_ID 0x1234u /* soc_ifc_fuses.txt */
#define NMI_STORE_BUS_ERROR 0xF0000000u /* VeeR: imprecise store bus error */

static void identity_and_fuses(void) {
  /* CPTRA_GENERATION reset values of soc_ifc_external_reg.rdl: 0x0011 (v1.1), 0x0402 (v2.0.4),
   * 0x0212 (v2.1.2). */
  const uint32_t generation = CALIPTRA_HW_2_1 ? 0x0212u : CALIPTRA_HW_2X ? 0x0402u : 0x0011u;
  t_case("CPTRA_HW_REV_ID = {SOC_STEPPING_ID fuse, CPTRA_GENERATION of the RDL}");
  t_eq("CPTRA_HW_REV_ID", mmio_read(CPTRA_HW_REV_ID), STEPPING_ID << 16 | generation);
  t_eq("fuse_soc_stepping_id", mmio_read(FUSE_SOC_STEPPING_ID), STEPPING_ID);
  mmio_write(FUSE_SOC_STEPPING_ID, 0x5678);
  t_eq("fuse_soc_stepping_id after a core write (RO to the core)", mmio_read(FUSE_SOC_STEPPING_ID), STEPPING_ID);

  t_case("boot state as the core sees it: BOOT_DONE, fuses done, secrets unreadable");
  const uint32_t flow = mmio_read(CPTRA_FLOW_STATUS);
  t_eq("CPTRA_FLOW_STATUS.boot_fsm_ps (BOOT_DONE)", FLOW_STATUS_BOOT_FSM_PS(flow), 4);
  t_eq("CPTRA_FLOW_STATUS.ready_for_fuses", flow & FLOW_STATUS_READY_FOR_FUSES, 0);
  t_eq("CPTRA_FUSE_WR_DONE", mmio_read(CPTRA_FUSE_WR_DONE), 1);
  t_eq("CPTRA_SECURITY_STATE (unprovisioned, debug unlocked)", mmio_read(CPTRA_SECURITY_STATE), 0);
  t_eq("CPTRA_RESET_REASON (cold boot)", mmio_read(CPTRA_RESET_REASON), 0);
  t_eq("fuse_uds_seed[0] (write-only)", mmio_read(FUSE_UDS_SEED(0)), 0);
  t_eq("fuse_field_entropy[0] (write-only)", mmio_read(FUSE_FIELD_ENTROPY(0)), 0);
  t_eq("internal_obf_key[0] (no software access)", mmio_read(INTERNAL_OBF_KEY(0)), 0);
}

static void firmware_registers(void) {
  t_case("firmware-owned registers: BOOT_STATUS, FW_REV_ID, generic output wire 1; input wires read-only");
  mmio_write(CPTRA_BOOT_STATUS, 0xC0DE0001);
  t_eq("CPTRA_BOOT_STATUS", mmio_read(CPTRA_BOOT_STATUS), 0xC0DE0001);
  mmio_write(CPTRA_FW_REV_ID(1), 0x01020304);
  t_eq("CPTRA_FW_REV_ID[1]", mmio_read(CPTRA_FW_REV_ID(1)), 0x01020304);
  mmio_write(CPTRA_GENERIC_OUTPUT_WIRES(1), 0xA5A55A5A);
  t_eq("CPTRA_GENERIC_OUTPUT_WIRES[1]", mmio_read(CPTRA_GENERIC_OUTPUT_WIRES(1)), 0xA5A55A5A);
  t_eq("CPTRA_GENERIC_INPUT_WIRES[0] (the SoC drives none)", mmio_read(CPTRA_GENERIC_INPUT_WIRES(0)), 0);
  mmio_write(CPTRA_GENERIC_INPUT_WIRES(1), 0xFFFFFFFF);
  t_eq("CPTRA_GENERIC_INPUT_WIRES[1] after a core write", mmio_read(CPTRA_GENERIC_INPUT_WIRES(1)), 0);
}

static void machine_timer(void) {
  t_case("mtime counts; writes replace a half; mtimecmp raises the machine timer interrupt");
  irq_init();
  const uint64_t t0 = mtime_now();
  for (volatile unsigned i = 0; i < 100; ++i) {
  }
  const uint64_t t1 = mtime_now();
  t_true("mtime advances", t1 > t0);
  mmio_write(INTERNAL_RV_MTIME_H, 0x00000001);
  t_eq("mtime_h after a write", mmio_read(INTERNAL_RV_MTIME_H), 1);
  t_true("mtime_l keeps counting across the write", mmio_read(INTERNAL_RV_MTIME_L) >= (uint32_t)t1);
  const uint64_t cmp = mtime_now() + 5000;
  if (!timer_wait(cmp, 20000)) return;
  t_eq("timer interrupts taken", timer_irqs, 1);
  t_true("the interrupt came at or after mtimecmp", timer_irq_mtime >= (uint32_t)cmp);
  t_eq("mip.MTIP after mtimecmp moved past mtime", CSR_READ(mip) & MIE_MTIE, 0);
}

static void watchdog(void) {
  t_case("WDT timer1 timeout: error_wdt_timer1_timeout interrupt (PIC source 19), servicing restarts it");
  const uint32_t count0 = mmio_read(SOC_IFC_ERR_COUNT_WDT_TIMER1);
  mmio_write(INTR_ERROR_STS(SOC_IFC_BASE), SOC_IFC_ERR_WDT_TIMER1_TIMEOUT);
  mmio_write(INTR_GLOBAL_EN(SOC_IFC_BASE), INTR_GLOBAL_ERROR_EN);
  mmio_write(INTR_ERROR_EN(SOC_IFC_BASE), SOC_IFC_ERR_WDT_TIMER1_TIMEOUT);
  irq_enable(IRQ_SOC_IFC_ERROR, 4);
  mmio_write(CPTRA_WDT_TIMER1_TIMEOUT_PERIOD(0), 3000);
  mmio_write(CPTRA_WDT_TIMER1_TIMEOUT_PERIOD(1), 0);
  const uint64_t start = mtime_now();
  mmio_write(CPTRA_WDT_TIMER1_EN, 1);
  mmio_write(CPTRA_WDT_TIMER1_CTRL, 1); /* restart from 0 */
  if (!irq_wait(IRQ_SOC_IFC_ERROR, 20000)) return;
  t_true("not before the period", mtime_now() - start >= 3000);
  t_eq("CPTRA_WDT_STATUS.t1_timeout", mmio_read(CPTRA_WDT_STATUS), WDT_STATUS_T1_TIMEOUT);
  t_eq("error_internal_intr_r", mmio_read(INTR_ERROR_STS(SOC_IFC_BASE)) & SOC_IFC_ERR_WDT_TIMER1_TIMEOUT,
       SOC_IFC_ERR_WDT_TIMER1_TIMEOUT);
  t_eq("error_wdt_timer1_timeout_intr_count_r", mmio_read(SOC_IFC_ERR_COUNT_WDT_TIMER1), count0 + 1);
  /* Servicing = clearing the status bit: timer1 counts again from 0 (wdt.sv). */
  mmio_write(INTR_ERROR_STS(SOC_IFC_BASE), SOC_IFC_ERR_WDT_TIMER1_TIMEOUT);
  t_eq("CPTRA_WDT_STATUS after servicing", mmio_read(CPTRA_WDT_STATUS), 0);
  irq_enable(IRQ_SOC_IFC_ERROR, 4);
  if (irq_wait(IRQ_SOC_IFC_ERROR, 20000))
    t_eq("a second timeout after servicing", mmio_read(SOC_IFC_ERR_COUNT_WDT_TIMER1), count0 + 2);
  mmio_write(CPTRA_WDT_TIMER1_EN, 0);
  mmio_write(INTR_ERROR_STS(SOC_IFC_BASE), SOC_IFC_ERR_WDT_TIMER1_TIMEOUT);
  mmio_write(INTR_GLOBAL_EN(SOC_IFC_BASE), 0);
  irq_disable(IRQ_SOC_IFC_ERROR);
  t_eq("no NMI (timer2 did not time out)", nmi_count, 0);
}

static void iccm_lock(void) {
  t_case("internal_iccm_lock: a locked ICCM refuses stores (store bus error NMI, error_iccm_blocked)");
  volatile uint32_t *iccm = (volatile uint32_t *)ICCM_WORD;
  *iccm = 0x11223344;
  t_eq("ICCM before the lock", *iccm, 0x11223344);
  const uint32_t count0 = mmio_read(SOC_IFC_ERR_COUNT_ICCM_BLOCKED);
  mmio_write(INTERNAL_ICCM_LOCK, 1);
  mmio_write(INTERNAL_ICCM_LOCK, 0);
  t_eq("internal_iccm_lock (write-1-to-set)", mmio_read(INTERNAL_ICCM_LOCK), 1);
  *iccm = 0x55667788;
  __asm__ volatile("nop; nop; nop; nop");
  t_eq("NMIs taken", nmi_count, 1);
  t_eq("NMI mcause (store bus error)", nmi_mcause, NMI_STORE_BUS_ERROR);
  t_eq("mdseac (the refused address)", nmi_mdseac, ICCM_WORD);
  t_eq("ICCM after the refused store", *iccm, 0x11223344);
  t_eq("error_iccm_blocked status", mmio_read(INTR_ERROR_STS(SOC_IFC_BASE)) & SOC_IFC_ERR_ICCM_BLOCKED,
       SOC_IFC_ERR_ICCM_BLOCKED);
  t_eq("error_iccm_blocked_intr_count_r", mmio_read(SOC_IFC_ERR_COUNT_ICCM_BLOCKED), count0 + 1);
  mmio_write(INTR_ERROR_STS(SOC_IFC_BASE), SOC_IFC_ERR_ICCM_BLOCKED);
}

static void after_fw_update_reset(void) {
  t_case("after internal_fw_update_reset: FW_UPD_RESET reason, ICCM unlocked and kept");
  t_eq("CPTRA_RESET_REASON", mmio_read(CPTRA_RESET_REASON), RESET_REASON_FW_UPD_RESET);
  t_eq("internal_iccm_lock", mmio_read(INTERNAL_ICCM_LOCK), 0);
  volatile uint32_t *iccm = (volatile uint32_t *)ICCM_WORD;
  t_eq("ICCM contents kept", *iccm, 0x11223344);
  *iccm = 0x99AABBCC;
  t_eq("ICCM writable again", *iccm, 0x99AABBCC);
  t_eq("CPTRA_FW_REV_ID[1] kept (cptra_rst_b domain)", mmio_read(CPTRA_FW_REV_ID(1)), 0x01020304);
  t_eq("boot_fsm_ps back in BOOT_DONE", FLOW_STATUS_BOOT_FSM_PS(mmio_read(CPTRA_FLOW_STATUS)), 4);
}

int main(void) {
  t_suite("soc_ifc");
  if (mmio_read(CPTRA_RESET_REASON) & RESET_REASON_FW_UPD_RESET) {
    after_fw_update_reset();
    return t_done();
  }
  identity_and_fuses();
  firmware_registers();
  machine_timer();
  watchdog();
  iccm_lock();
  if (t_done() != 0) return 1;
  t_print("=== soc_ifc: first pass done; firmware-update reset\n");
  mmio_write(INTERNAL_FW_UPDATE_RESET, 1);
  for (;;) __asm__ volatile("wfi");
}

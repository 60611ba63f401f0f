"""A synthetic corpus of monthly socio-economic reports, for load tests only.

Every report is clearly marked SYNTHETIC (an HTML comment and a visible first line, and
``"synthetic": true`` in its sidecar): the figures are random and must never reach the
dataset or the book. The reports imitate the genre (see ``shared/reference/phrasing.md``
and the seed report): markdown, a title with the month and the year-to-date, sections on
agriculture, industry, trade, prices, tourism, investment, enterprises, budget, society
and security, Vietnamese number format, ``<sup>n</sup>`` footnote anchors with footnote
blocks after a ``---`` rule, and a task section ("II. NHIỆM VỤ ...") whose numbers are
targets. The sentences are templates written for this generator, not text of real
reports; narrative filler pads each report to the length of a real one (~40 KB).

Each report comes with the figures it states (``truth``), in the contract's terms, so a
benchmark can also count how many were recovered.

Usage::

    python benchmarks/synthetic.py OUT_DIR --n 100 --seed 7
"""

from __future__ import annotations

import argparse
import calendar
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

MARK = "SYNTHETIC"
TARGET_BYTES = 40_000


# --- numbers in the Vietnamese format ------------------------------------------------------


def vn_number(value: float, decimals: int = 0, pad: bool = False) -> str:
    """``1234567.8`` → ``1.234.567,8``; ``pad`` writes small counts as ``05``."""
    text = f"{abs(value):,.{decimals}f}".replace(",", "\x00").replace(".", ",")
    text = text.replace("\x00", ".")
    if pad and decimals == 0 and abs(value) < 10:
        text = "0" + text
    return ("-" if value < 0 else "") + text


@dataclass
class Report:
    """One synthetic report: its markdown text and the figures it states."""

    report_id: str
    year: int
    month: int
    text: str = ""
    truth: list[dict] = field(default_factory=list)


class _Writer:
    """Builds one report: numbers are drawn, printed, and recorded as truth together."""

    def __init__(self, rng: random.Random, report: Report, scale: float) -> None:
        self.rng = rng
        self.report = report
        self.scale = scale
        self.footnotes: list[str] = []  # bodies waiting for the next footnote block
        self.next_note = 1
        y, m = report.year, report.month
        self.month = f"{y}-{m:02d}"
        self.ytd = f"{y}-01/{y}-{m:02d}"

    # figures -------------------------------------------------------------------------------

    def level(self, indicator: str, period: str, low: float, high: float, unit: str,
              printed_unit: str, factor: float = 1.0, decimals: int = 0,
              pad: bool = False) -> tuple[float, str]:
        """Draw a level, record it (in the canonical unit) and return (value, text)."""
        value = round(self.rng.uniform(low, high) * self.scale, decimals)
        if decimals == 0:
            value = max(1, int(value))  # counts: at least one, printed without decimals
        return value, self.state(indicator, period, value, unit, printed_unit, factor,
                                 decimals, pad)

    def state(self, indicator: str, period: str, value: float, unit: str, printed_unit: str,
              factor: float = 1.0, decimals: int = 0, pad: bool = False) -> str:
        """Record a given level and return its printed form."""
        printed = vn_number(value, decimals, pad)
        sep = "" if printed_unit == "ha" and self.rng.random() < 0.1 else " "
        self._truth(indicator, period, "level", round(value * factor, 6), unit)
        return f"{printed}{sep}{printed_unit}"

    def flow(self, indicator: str, low: float, high: float, unit: str, printed_unit: str,
             factor: float = 1.0, decimals: int = 0) -> tuple[str, str]:
        """A flow in the month and year to date (the month plus earlier months drawn
        alike), recorded and printed: (month text, ytd text)."""
        month_value, month_text = self.level(indicator, self.month, low, high, unit,
                                             printed_unit, factor, decimals)
        earlier = sum(self.rng.uniform(low, high) for _ in range(self.report.month - 1))
        ytd_value = round(month_value + earlier * self.scale, decimals)
        return month_text, self.state(indicator, self.ytd, ytd_value, unit, printed_unit,
                                      factor, decimals)

    def plan(self, indicator: str, period: str | None = None) -> str:
        """Share of the annual plan reached by the year to date, near the elapsed share."""
        elapsed = self.report.month / 12 * 100
        return self.pct(indicator, period or self.ytd, "plan_pct", 0.75 * elapsed,
                        min(1.25 * elapsed, 130), signed=False)

    def pct(self, indicator: str, period: str, measure: str, low: float, high: float,
            base: str = "", signed: bool = True, decimals: int = 1) -> str:
        """A percentage: yoy/mom/base as ``tăng X%``/``giảm X%``, plan as ``X% kế hoạch``."""
        value = round(self.rng.uniform(low, high), decimals)
        space = " " if self.rng.random() < 0.08 else ""
        printed = f"{vn_number(abs(value), decimals)}{space}%"
        if not signed:
            self._truth(indicator, period, measure, value, "%", base)
            return printed
        if value == 0:
            self._truth(indicator, period, measure, 0.0, "%", base)
            return "tương đương"
        self._truth(indicator, period, measure, value, "%", base)
        return ("tăng " if value > 0 else "giảm ") + printed

    def _truth(self, indicator: str, period: str, measure: str, value: float, unit: str,
               base: str = "") -> None:
        if period == self.month:
            period_type = "month"
        elif period == self.ytd:
            period_type = "ytd"
        else:
            period_type = "range" if "/" in period else "asof"
        self.report.truth.append({
            "report_id": self.report.report_id, "indicator": indicator, "period": period,
            "period_type": period_type, "measure": measure, "base": base,
            "value": value, "unit": unit,
        })

    def note(self, body: str) -> str:
        """Queue a footnote body and return its anchor."""
        n = self.next_note
        self.next_note += 1
        self.footnotes.append(f"<sup>{n}</sup> {body}")
        return f"<sup>{n}</sup>"

    def flush_notes(self) -> str:
        """The pending footnotes as a block after a ``---`` rule (a page foot)."""
        if not self.footnotes:
            return ""
        block = "---\n\n" + "\n\n".join(self.footnotes) + "\n\n"
        self.footnotes = []
        return block


# --- narrative filler ---------------------------------------------------------------------

_FILLER = (
    "Các sở, ngành đã bám sát kế hoạch đề ra, chủ động phối hợp trong triển khai nhiệm vụ.",
    "Công tác kiểm tra, giám sát tiếp tục được duy trì thường xuyên tại cơ sở.",
    "Các địa phương tăng cường tuyên truyền để người dân nắm rõ chủ trương mới.",
    "Một số chỉ tiêu đạt khá so với kế hoạch; một số lĩnh vực còn gặp khó khăn.",
    "Việc rà soát thủ tục hành chính được đẩy mạnh nhằm giảm thời gian xử lý hồ sơ.",
    "Các đơn vị chủ động xây dựng phương án ứng phó với diễn biến thời tiết bất lợi.",
    "Công tác phối hợp giữa các cấp, các ngành được duy trì chặt chẽ và hiệu quả.",
    "Tình hình sản xuất kinh doanh của doanh nghiệp dần ổn định trở lại.",
    "Các chương trình hỗ trợ sản xuất được triển khai đúng tiến độ và đối tượng.",
    "Hạ tầng giao thông nông thôn tiếp tục được đầu tư, cải tạo và nâng cấp.",
    "Hoạt động thông tin, tuyên truyền được đổi mới về nội dung và hình thức.",
    "Việc quản lý, sử dụng tài sản công được kiểm soát theo đúng quy định.",
    "Các cơ sở y tế duy trì trực cấp cứu và bảo đảm thuốc, vật tư thiết yếu.",
    "Ngành giáo dục tiếp tục rà soát mạng lưới trường lớp phù hợp với thực tế.",
    "Công tác bảo vệ môi trường tại các khu dân cư tập trung được quan tâm hơn.",
    "Lực lượng chức năng tăng cường tuần tra, kiểm soát trên các tuyến trọng điểm.",
    "Các hoạt động văn hóa, thể thao diễn ra sôi nổi, lành mạnh, an toàn.",
    "Chính sách an sinh xã hội được thực hiện đầy đủ, kịp thời, đúng đối tượng.",
    "Các dự án chuyển tiếp được đôn đốc hoàn thành các hạng mục còn lại.",
    "Công tác đào tạo, bồi dưỡng cán bộ được thực hiện theo kế hoạch năm.",
    "Các hợp tác xã được hướng dẫn củng cố tổ chức và mở rộng liên kết tiêu thụ.",
    "Việc ứng dụng công nghệ thông tin trong xử lý công việc tiếp tục được mở rộng.",
    "Công tác quản lý thị trường, chống hàng giả được duy trì thường xuyên.",
    "Tình hình an ninh tại khu vực biên giới và các địa bàn trọng điểm ổn định.",
    "Các đơn vị tiếp tục rà soát, hoàn thiện quy chế phối hợp trong lĩnh vực phụ trách.",
    "Việc tiếp nhận, xử lý phản ánh, kiến nghị của người dân được thực hiện kịp thời.",
    "Các mô hình sản xuất mới bước đầu cho hiệu quả, được nhân rộng tại một số xã.",
    "Công tác phòng, chống thiên tai được chuẩn bị chu đáo theo phương châm bốn tại chỗ.",
    "Các nguồn lực được ưu tiên cho những công trình cấp thiết, có khả năng hoàn thành sớm.",
    "Hoạt động khuyến nông, chuyển giao kỹ thuật được tổ chức tại nhiều thôn, bản.",
)

_TASKS = (
    "Tập trung chỉ đạo hoàn thành các chỉ tiêu kinh tế - xã hội năm {y}.",
    "Đôn đốc giải ngân các nguồn vốn, phấn đấu đạt trên {p}% kế hoạch vốn năm.",
    "Đẩy nhanh giải phóng mặt bằng các dự án trọng điểm, phấn đấu đạt {p}% khối lượng.",
    "Tăng cường các biện pháp chống thất thu, phấn đấu hoàn thành dự toán thu năm {y}.",
    "Chủ động phòng, chống dịch bệnh cho cây trồng, vật nuôi; bảo đảm an toàn hồ, đập.",
    "Thực hiện tốt công tác tiếp công dân, giải quyết kịp thời đơn thư phát sinh.",
    "Bảo đảm trật tự, an toàn giao thông, phấn đấu giảm tai nạn cả ba tiêu chí.",
)


def _filler(rng: random.Random, sentences: int) -> str:
    return " ".join(rng.choice(_FILLER) for _ in range(sentences))


# --- sections -----------------------------------------------------------------------------


def _agriculture(w: _Writer) -> str:
    rng, m = w.rng, w.report.month
    _, food = w.level("agriculture.food_output", w.ytd, 60, 200, "t", "nghìn tấn", 1000)
    yoy = w.pct("agriculture.food_output", w.ytd, "yoy_pct", -5, 8)
    forest_m, forest_y = w.flow("forestry.planted_area", 300, 1500, "ha", "ha", decimals=1)
    forest_plan = w.plan("forestry.planted_area")
    herd = []
    for ind, name, lo, hi, unit, factor in (
        ("livestock.buffalo", "Tổng đàn trâu ước đạt", 60, 140, "nghìn con", 1000),
        ("livestock.cattle", "đàn bò ước", 20, 60, "nghìn con", 1000),
        ("livestock.pigs", "đàn lợn ước", 150, 400, "nghìn con", 1000),
        ("livestock.poultry", "đàn gia cầm ước", 1, 6, "triệu con", 1_000_000),
    ):
        level = w.level(ind, w.month, lo, hi, "head", unit, factor, decimals=2)[1]
        herd.append(f"{name} {level}, {w.pct(ind, w.month, 'yoy_pct', -4, 6)} so với cùng kỳ")
    herd_note = w.note("; ".join(herd) + ".")
    return (
        f"Sản lượng lương thực ước đạt {food}, {yoy} so với cùng kỳ. "
        f"{_filler(rng, 3)} Trồng rừng tiến triển tốt, trong tháng trồng được {forest_m} "
        f"rừng, lũy kế {m} tháng trồng được {forest_y}, đạt {forest_plan} kế hoạch. "
        f"{_filler(rng, 2)}\n\n"
        f"Tổng đàn gia súc, gia cầm tương đối ổn định{herd_note}. {_filler(rng, 4)}\n\n"
    )


def _industry(w: _Writer) -> str:
    m, y = w.report.month, w.report.year
    month = w.pct("industry.production_index", w.month, "yoy_pct", -5, 25, decimals=2)
    ytd = w.pct("industry.production_index", w.ytd, "yoy_pct", -3, 12, decimals=2)
    return (
        f"Chỉ số sản xuất công nghiệp tháng {m}/{y} {month} so với cùng kỳ, tính chung "
        f"{m} tháng {ytd} so với cùng kỳ. {_filler(w.rng, 4)}\n\n"
    )


def _trade_prices_tourism(w: _Writer) -> str:
    rng, m, y = w.rng, w.report.month, w.report.year
    # retail
    retail_m, retail_y = w.flow("retail.sales", 700, 1500, "VND bn", "tỷ đồng")
    retail_plan = w.plan("retail.sales")
    retail_yoy = w.pct("retail.sales", w.ytd, "yoy_pct", 3, 18)
    retail_name = rng.choice((
        "Tổng mức lưu chuyển hàng hóa bán lẻ",
        "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng",
    ))
    # prices
    cpi_mom = w.pct("cpi", w.month, "mom_pct", -0.8, 1.2, decimals=2)
    cpi_dec = w.pct("cpi", w.month, "base_pct", -1, 4, base=f"{y - 1}-12", decimals=2)
    cpi_avg = w.pct("cpi", w.ytd, "yoy_pct", 0.5, 4.5, decimals=2)
    # trade: components sum to the total
    exp_m, exp_m_text = w.level("trade.export", w.month, 100, 300, "USD mn", "triệu USD")
    imp_m, imp_m_text = w.level("trade.import", w.month, 60, 250, "USD mn", "triệu USD")
    total_m = w.state("trade.total", w.month, exp_m + imp_m, "USD mn", "triệu USD")
    exp_y = exp_m + round(w.rng.uniform(100, 300) * (m - 1) * w.scale)
    imp_y = imp_m + round(w.rng.uniform(60, 250) * (m - 1) * w.scale)
    exp_y_text = w.state("trade.export", w.ytd, exp_y, "USD mn", "triệu USD")
    imp_y_text = w.state("trade.import", w.ytd, imp_y, "USD mn", "triệu USD")
    total_y = w.state("trade.total", w.ytd, exp_y + imp_y, "USD mn", "triệu USD")
    trade_plan = w.plan("trade.total")
    trade_yoy = w.pct("trade.total", w.ytd, "yoy_pct", -20, 40)
    exp_plan = w.plan("trade.export")
    imp_plan = w.plan("trade.import")
    trade_note = w.note(f"Xuất khẩu {exp_y_text}, đạt {exp_plan} kế hoạch; nhập khẩu "
                        f"{imp_y_text}, đạt {imp_plan} kế hoạch. {_filler(rng, 1)}")
    # tourism
    visits_m, visits_y = w.flow("tourism.visitors", 60_000, 250_000, "visits", "lượt")
    visits_y = visits_y.replace("lượt", "lượt khách")
    visits_plan = w.plan("tourism.visitors")
    visits_yoy = w.pct("tourism.visitors", w.ytd, "yoy_pct", -10, 20, decimals=2)
    rev_m, rev_y = w.flow("tourism.revenue", 20, 120, "VND bn", "tỷ đồng", decimals=1)
    rev_plan = w.plan("tourism.revenue")
    rev_yoy = w.pct("tourism.revenue", w.ytd, "yoy_pct", -10, 20, decimals=2)
    # credit, stocks at the end of the month
    day = calendar.monthrange(y, m)[1]
    asof = f"{y}-{m:02d}-{day:02d}"
    dep = w.level("credit.deposits", asof, 10_000, 40_000, "VND bn", "tỷ đồng")[1]
    dep_yoy = w.pct("credit.deposits", asof, "base_pct", 2, 15, base=f"{y - 1}-12-31")
    loans = w.level("credit.loans", asof, 10_000, 40_000, "VND bn", "tỷ đồng")[1]
    loans_yoy = w.pct("credit.loans", asof, "base_pct", 2, 15, base=f"{y - 1}-12-31")
    return (
        f"{retail_name} tháng {m} ước đạt {retail_m}, {m} tháng đạt {retail_y}, đạt "
        f"{retail_plan} kế hoạch, {retail_yoy} so với cùng kỳ. Chỉ số giá tiêu dùng tháng "
        f"{m} {cpi_mom} so với tháng trước, {cpi_dec} so với tháng 12/{y - 1}; bình quân "
        f"{m} tháng đầu năm {cpi_avg} so với cùng kỳ.\n\n"
        f"Tổng kim ngạch xuất nhập khẩu qua địa bàn tháng {m} ước đạt {total_m}, trong đó "
        f"xuất khẩu {exp_m_text}, nhập khẩu {imp_m_text}; lũy kế {m} tháng là {total_y}, "
        f"đạt {trade_plan} kế hoạch, {trade_yoy} so với cùng kỳ{trade_note}. "
        f"{_filler(rng, 2)}\n\n"
        f"Lượng khách du lịch trong tháng {m} khoảng {visits_m}, doanh thu khoảng {rev_m}; "
        f"lũy kế {m} tháng ước đạt {visits_y}, đạt {visits_plan} kế hoạch, {visits_yoy} so "
        f"với cùng kỳ; doanh thu {rev_y}, đạt {rev_plan} kế hoạch, {rev_yoy} so với cùng "
        f"kỳ. {_filler(rng, 3)}\n\n"
        f"Tổng nguồn vốn huy động của các ngân hàng trên địa bàn ước tính đến {day}/{m}/{y} "
        f"đạt {dep}, {dep_yoy} so với 31/12/{y - 1}; tổng dư nợ tín dụng {loans}, "
        f"{loans_yoy} so với 31/12/{y - 1}. {_filler(rng, 2)}\n\n"
    )


def _investment(w: _Writer) -> str:
    rng, m = w.rng, w.report.month
    real_m, real_y = w.flow("investment.realised", 100, 400, "VND bn", "tỷ đồng")
    real_plan = w.plan("investment.realised")
    real_yoy = w.pct("investment.realised", w.ytd, "yoy_pct", -10, 20)
    disb_m, disb_y = w.flow("investment.disbursed", 80, 300, "VND bn", "tỷ đồng")
    disb_plan = w.plan("investment.disbursed")
    disb_yoy = w.pct("investment.disbursed", w.ytd, "yoy_pct", -10, 20)
    ent_m, ent_y = w.flow("enterprises.new.count", 20, 90, "count", "doanh nghiệp")
    cap_m, cap_y = w.flow("enterprises.new.capital", 100, 600, "VND bn", "tỷ đồng", decimals=1)
    ent_plan = w.plan("enterprises.new.count")
    ent_yoy = w.pct("enterprises.new.count", w.ytd, "yoy_pct", -10, 25)
    proj_m = w.level("investment.approved.count", w.month, 1, 9, "count", "dự án", pad=True)[1]
    proj_cap = w.level("investment.approved.capital", w.month, 20, 400, "VND bn", "tỷ đồng",
                       decimals=1)[1]
    return (
        f"Giá trị khối lượng thực hiện các nguồn vốn tháng {m} ước đạt {real_m}; {m} tháng "
        f"đạt {real_y}, bằng {real_plan} kế hoạch, {real_yoy} cùng kỳ. Giải ngân thanh toán "
        f"các nguồn vốn tháng {m} đạt {disb_m}, {m} tháng ước đạt {disb_y}, bằng "
        f"{disb_plan} kế hoạch, {disb_yoy} cùng kỳ. {_filler(rng, 3)}\n\n"
        f"Trong tháng có {ent_m} được thành lập mới, tổng số vốn đăng ký {cap_m}; lũy kế "
        f"{m} tháng đầu năm thành lập mới {ent_y} (bằng {ent_plan} kế hoạch, {ent_yoy} so "
        f"với cùng kỳ), tổng số vốn đăng ký {cap_y}. Cấp giấy chứng nhận đăng ký đầu tư "
        f"cho {proj_m}, tổng số vốn đăng ký là {proj_cap}. {_filler(rng, 2)}\n\n"
    )


def _budget(w: _Writer) -> str:
    rng, m = w.rng, w.report.month
    dom, dom_t = w.level("budget.revenue.domestic", w.month, 100, 400, "VND bn", "tỷ đồng",
                         decimals=1)
    cus, cus_t = w.level("budget.revenue.customs", w.month, 100, 400, "VND bn", "tỷ đồng",
                         decimals=1)
    total_m = w.state("budget.revenue.total", w.month, round(dom + cus, 1), "VND bn",
                      "tỷ đồng", decimals=1)
    rev_note = w.note(f"Trong đó: thu nội địa {dom_t}, thu hải quan {cus_t}.")
    rev_y_value = round(dom + cus + w.rng.uniform(200, 800) * (m - 1) * w.scale)
    rev_y = w.state("budget.revenue.total", w.ytd, rev_y_value, "VND bn", "tỷ đồng")
    rev_plan = w.plan("budget.revenue.total")
    rev_yoy = w.pct("budget.revenue.total", w.ytd, "yoy_pct", -15, 25)
    dev, dev_t = w.level("budget.expenditure.development", w.ytd, 60 * m, 150 * m, "VND bn",
                         "tỷ đồng", decimals=1)
    rec, rec_t = w.level("budget.expenditure.recurrent", w.ytd, 300 * m, 600 * m, "VND bn",
                         "tỷ đồng", decimals=1)
    dev_plan = w.plan("budget.expenditure.development")
    rec_plan = w.plan("budget.expenditure.recurrent")
    exp_m = w.state("budget.expenditure.total", w.month,
                    round((dev + rec) / m * w.rng.uniform(0.8, 1.2), 1), "VND bn", "tỷ đồng",
                    decimals=1)
    exp_y = w.state("budget.expenditure.total", w.ytd, round(dev + rec, 1), "VND bn",
                    "tỷ đồng", decimals=1)
    exp_plan = w.plan("budget.expenditure.total")
    exp_yoy = w.pct("budget.expenditure.total", w.ytd, "yoy_pct", -10, 35)
    exp_note = w.note(f"Trong đó: chi đầu tư phát triển {dev_t}, đạt {dev_plan} dự toán; "
                      f"chi thường xuyên {rec_t}, đạt {rec_plan} dự toán.")
    return (
        f"{_filler(rng, 2)} Tổng thu ngân sách nhà nước ước tháng {m} là {total_m}{rev_note}. "
        f"Lũy kế {m} tháng là {rev_y}, đạt {rev_plan} dự toán, {rev_yoy} so với cùng kỳ. "
        f"Tổng chi ngân sách địa phương ước tháng {m} là {exp_m}, lũy kế {m} tháng đầu năm "
        f"là {exp_y}, đạt {exp_plan} dự toán, {exp_yoy} so với cùng kỳ{exp_note}. "
        f"{_filler(rng, 2)}\n\n"
    )


def _security(w: _Writer) -> str:
    rng, m, y = w.rng, w.report.month, w.report.year
    window = f"{y}-{m - 1:02d}-16/{y}-{m:02d}-15"
    acc_m = w.level("traffic.accidents", window, 1, 15, "count", "vụ", pad=True)[1]
    dead_m = w.level("traffic.deaths", window, 1, 12, "persons", "người", pad=True)[1]
    acc_y = w.level("traffic.accidents", w.ytd, 15 * m, 25 * m, "count", "vụ", pad=True)[1]
    dead_y = w.level("traffic.deaths", w.ytd, 12 * m, 20 * m, "persons", "người", pad=True)[1]
    inj_y = w.level("traffic.injuries", w.ytd, 1 * m, 8 * m, "persons", "người", pad=True)[1]
    return (
        f"{_filler(rng, 3)} Từ ngày 16/{m - 1}/{y} đến ngày 15/{m}/{y}, xảy ra {acc_m} tai "
        f"nạn giao thông, làm chết {dead_m}; lũy kế {m} tháng đầu năm {y} toàn tỉnh đã xảy "
        f"ra {acc_y} tai nạn giao thông, làm {dead_y} chết và {inj_y} bị thương. "
        f"{_filler(rng, 2)}\n\n"
    )


def make_report(rng: random.Random, province: int, year: int, month: int) -> Report:
    """One synthetic monthly report of the ``province``-th synthetic province."""
    report = Report(f"synthetic-p{province:02d}-{year}-{month:02d}", year, month)
    next_month, next_year = (month + 1, year) if month < 12 else (1, year + 1)
    w = _Writer(rng, report, scale=rng.uniform(0.5, 2.0))
    target = int(TARGET_BYTES * rng.uniform(0.85, 1.15))
    parts = [
        f"<!-- {MARK}: generated by benchmarks/synthetic.py for load tests; random figures, "
        f"not a real report; never use them as data. -->\n\n",
        f"**{MARK} — báo cáo tổng hợp dùng để đo hiệu năng, số liệu ngẫu nhiên**\n\n",
        "## **BÁO CÁO**\n\n",
        f"### **Tình hình kinh tế - xã hội tháng {month} và {month} tháng, nhiệm vụ trọng "
        f"tâm tháng {next_month} năm {next_year} (tỉnh Mô Phỏng {province:02d})**\n\n",
        f"#### **I. TÌNH HÌNH KINH TẾ - XÃ HỘI THÁNG {month} VÀ {month} THÁNG**\n\n",
        "##### **1. Công tác chỉ đạo điều hành**\n\n",
    ]
    body = [
        ("### **a) Sản xuất nông nghiệp và xây dựng nông thôn mới**\n\n", _agriculture),
        ("#### b) Sản xuất công nghiệp\n\n", _industry),
        ("#### c) Thương mại, dịch vụ\n\n", _trade_prices_tourism),
        ("#### d) Đầu tư xây dựng, phát triển doanh nghiệp\n\n", _investment),
        ("#### đ) Thu, chi ngân sách\n\n", _budget),
        ("### 3. Các hoạt động văn hóa - xã hội; quốc phòng, an ninh\n\n", _security),
    ]
    sections = [heading + make(w) + w.flush_notes() for heading, make in body]
    tasks = "".join(
        f"{i}. {rng.choice(_TASKS).format(y=year, p=rng.randint(60, 95))} "
        f"{_filler(rng, 4)}\n\n"
        for i in range(1, 9)
    )
    tail = f"## **II. NHIỆM VỤ CHỦ YẾU THÁNG {next_month} NĂM {next_year}**\n\n{tasks}"
    fixed = sum(len(s.encode()) for s in parts + sections) + len(tail.encode())
    # Narrative paragraphs (as in real reports) up to the target length, spread over sections.
    padding: list[list[str]] = [[] for _ in sections]
    size = fixed
    while size < target:
        paragraph = _filler(rng, rng.randint(3, 6)) + "\n\n"
        padding[rng.randrange(len(sections))].append(paragraph)
        size += len(paragraph.encode())
    parts.append(_filler(rng, 5) + "\n\n## **2. Phát triển kinh tế**\n\n")
    for section, extra in zip(sections, padding, strict=True):
        heading, _, rest = section.partition("\n\n")
        parts.append(heading + "\n\n" + "".join(extra) + rest)
    parts.append(tail)
    report.text = "".join(parts)
    return report


def generate(n: int, seed: int = 0) -> list[Report]:
    """``n`` reports: provinces 1..63, months February..December of 2016..2025."""
    rng = random.Random(seed)
    reports = []
    for i in range(n):
        province = i % 63 + 1
        year = 2016 + (i // 63) // 11 % 10
        month = 2 + (i // 63) % 11
        reports.append(make_report(rng, province, year, month))
    return reports


def write_corpus(folder: str | Path, n: int, seed: int = 0) -> list[Path]:
    """Write ``n`` reports as ``<id>.md`` (+ ``.meta.json`` sidecar and ``.truth.jsonl``)
    into ``folder``; return the report paths, in generation order."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for report in generate(n, seed):
        path = folder / f"{report.report_id}.md"
        path.write_text(report.text, encoding="utf-8")
        meta = {
            "report_id": report.report_id, "synthetic": True, "period":
            f"{report.year}-{report.month:02d}", "report_kind": "monthly", "language": "vi",
            "format": "markdown", "how_obtained": "generated by benchmarks/synthetic.py",
        }
        (folder / f"{report.report_id}.meta.json").write_text(
            json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        (folder / f"{report.report_id}.truth.jsonl").write_text(
            "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in report.truth),
            encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--n", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    paths = write_corpus(args.folder, args.n, args.seed)
    print(f"{len(paths)} synthetic reports in {args.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

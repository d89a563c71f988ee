"""Open answers with planted themes (climate, education, jobs, peace) in six languages,
written for the tests: what people might answer to "What would you like the world to be?"."""

PLANTED = {
    "climate": {
        "en": [
            "Stop climate change now",
            "Cut carbon emissions and protect forests",
            "A planet that is not burning",
            "Clean air and less pollution",
        ],
        "fr": [
            "Arrêter le réchauffement climatique",
            "Moins de pollution et un air pur",
            "Protéger les forêts et réduire le carbone",
            "Une planète qui ne brûle pas",
        ],
        "es": [
            "Detener el cambio climático",
            "Menos contaminación y aire limpio",
            "Proteger los bosques y reducir las emisiones",
            "Un planeta que no se queme",
        ],
        "ar": ["وقف تغير المناخ", "هواء نظيف وتلوث أقل", "حماية الغابات وخفض الانبعاثات"],
        "zh": ["阻止气候变化", "减少污染，空气清洁", "保护森林，减少碳排放"],
        "ru": [
            "Остановить изменение климата",
            "Чистый воздух и меньше загрязнения",
            "Защитить леса и сократить выбросы",
        ],
    },
    "education": {
        "en": [
            "Free school for every child",
            "Better teachers and schools",
            "Girls must be able to study",
            "Education for all children",
        ],
        "fr": [
            "L'école gratuite pour tous les enfants",
            "De meilleurs enseignants et écoles",
            "Les filles doivent pouvoir étudier",
            "L'éducation pour tous",
        ],
        "es": [
            "Escuela gratuita para todos los niños",
            "Mejores maestros y escuelas",
            "Las niñas deben poder estudiar",
            "Educación para todos",
        ],
        "ar": ["تعليم مجاني لكل طفل", "مدارس ومعلمون أفضل", "يجب أن تتمكن الفتيات من الدراسة"],
        "zh": ["每个孩子都能免费上学", "更好的老师和学校", "女孩也必须能够读书"],
        "ru": [
            "Бесплатная школа для каждого ребёнка",
            "Лучшие учителя и школы",
            "Девочки должны иметь возможность учиться",
        ],
    },
    "jobs": {
        "en": [
            "More jobs for young people",
            "Decent work and fair wages",
            "Help to start a small business",
            "An end to unemployment",
        ],
        "fr": [
            "Plus d'emplois pour les jeunes",
            "Un travail décent et des salaires justes",
            "Aider à créer une petite entreprise",
            "La fin du chômage",
        ],
        "es": [
            "Más empleo para los jóvenes",
            "Trabajo digno y salarios justos",
            "Ayuda para abrir un pequeño negocio",
            "Acabar con el desempleo",
        ],
        "ar": ["مزيد من فرص العمل للشباب", "عمل لائق وأجور عادلة", "القضاء على البطالة"],
        "zh": ["为年轻人提供更多工作", "体面的工作和公平的工资", "消除失业"],
        "ru": [
            "Больше рабочих мест для молодёжи",
            "Достойная работа и честная зарплата",
            "Покончить с безработицей",
        ],
    },
    "peace": {
        "en": [
            "An end to all wars",
            "Peace between nations",
            "No more violence and conflict",
            "Stop the fighting and make peace",
        ],
        "fr": [
            "La fin de toutes les guerres",
            "La paix entre les nations",
            "Plus de violence ni de conflits",
            "Arrêter les combats et faire la paix",
        ],
        "es": [
            "El fin de todas las guerras",
            "Paz entre las naciones",
            "No más violencia ni conflictos",
            "Detener los combates y hacer la paz",
        ],
        "ar": ["إنهاء كل الحروب", "السلام بين الأمم", "لا مزيد من العنف والصراعات"],
        "zh": ["结束所有战争", "国家之间的和平", "不再有暴力和冲突"],
        "ru": ["Конец всем войнам", "Мир между народами", "Больше никакого насилия и конфликтов"],
    },
}


def planted_answers() -> tuple[list[str], list[str], list[str]]:
    """(answers, their languages, their planted themes)."""
    return _flattened(PLANTED)


def _flattened(planted: dict) -> tuple[list[str], list[str], list[str]]:
    texts, languages, themes = [], [], []
    for theme, by_language in planted.items():
        for language, answers in by_language.items():
            for answer in answers:
                texts.append(answer)
                languages.append(language)
                themes.append(theme)
    return texts, languages, themes


# The same themes in two languages the sentence encoder (USE) was not trained on.
PLANTED_ELSEWHERE = {
    "climate": {
        "sw": [
            "Kukomesha mabadiliko ya tabianchi",
            "Hewa safi na uchafuzi mdogo",
            "Kulinda misitu na kupunguza hewa ukaa",
        ],
        "hi": [
            "जलवायु परिवर्तन को रोकें",
            "साफ़ हवा और कम प्रदूषण",
            "जंगलों की रक्षा करें और कार्बन घटाएँ",
        ],
    },
    "education": {
        "sw": ["Elimu bure kwa kila mtoto", "Walimu na shule bora", "Wasichana waweze kusoma"],
        "hi": [
            "हर बच्चे के लिए मुफ़्त स्कूल",
            "बेहतर शिक्षक और स्कूल",
            "लड़कियों को पढ़ने का अधिकार मिले",
        ],
    },
    "jobs": {
        "sw": [
            "Kazi zaidi kwa vijana",
            "Kazi yenye heshima na mishahara ya haki",
            "Kukomesha ukosefu wa ajira",
        ],
        "hi": ["युवाओं के लिए अधिक नौकरियाँ", "अच्छा काम और उचित वेतन", "बेरोज़गारी का अंत"],
    },
    "peace": {
        "sw": ["Amani kati ya mataifa", "Mwisho wa vita vyote", "Hakuna vita tena"],
        "hi": ["देशों के बीच शांति", "सभी युद्धों का अंत", "अब और युद्ध नहीं"],
    },
}


def planted_elsewhere() -> tuple[list[str], list[str], list[str]]:
    """Like planted_answers(), in Swahili and Hindi."""
    return _flattened(PLANTED_ELSEWHERE)

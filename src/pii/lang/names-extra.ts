/**
 * Given names and surnames of many origins that the NLP library's English
 * lexicon lacks. Lower case, space separated; extend freely.
 */
export const EXTRA_FIRST_NAMES = `
aarav aditi aditya ahmed aisha akira alejandro ali amara amina amir ana anil anjali arjun astrid aylin
bao bilal björn carlos chen chidi chinedu chioma chloé darius deepak dmitri duc elif emeka emre eun fatima
fatma femi feng florin giorgos giulia guillermo hana hamza hao haruto hassan hiroshi hoa hugo hyun ibrahim
ifeoma ikechukwu imran ingrid ioana irina ivan jae javier jiho jin joão jorge josé juan jun kaito kamal
kemal kenji kofi kwame lakshmi lan latisha li lin linh lucía luis magdalena malik mamadou mariana mateo
matteo mehmet mei min ming mohamed mohammed muhammad mustafa nadia nam ngozi nikolai nkechi noor nuno olga
oluwaseun omar pablo pavel pedro piotr priya quang rahul raj rajesh ravi reza rohan sakura sanjay santiago
satoshi seo shreya siddharth sina sipho sofia sophie sung svetlana takeshi tamar tariq thanh thi tomasz tuan
umar vijay vikram vladimir wei wojciech xin yan yasmin yerlan yi yuki yusuf zainab zeynep zhang zhao zoran
agnieszka aleksander andrzej anneke bartosz bram camille cédric daan dorota elżbieta erik eszter finn
francesca françois frederik gabriele hanna hendrik jakub jan janina jens joanna jürgen kasper katarzyna
krzysztof lars lea lena lieke lorenzo lotte łukasz maciej małgorzata marek marcin marta mathilde mikkel
niamh oisín pieter pietro przemysław rafał sander siobhán stanisław stefano sven thijs tomás wiebke zofia
aoife ciarán diarmuid ebere funmilayo kayode obinna tunde yetunde adebayo abena akosua yaw esi kwabena
` as const;

export const EXTRA_LAST_NAMES = `
nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly wang li zhang liu chen yang huang zhao
wu zhou xu sun ma zhu hu guo lin he gao luo kim lee park choi jung kang cho yoon jang lim han oh seo shin
kwon song yoo hwang sato suzuki takahashi tanaka watanabe ito yamamoto nakamura kobayashi kato yoshida
yamada sasaki yamaguchi matsumoto inoue kimura patel sharma singh kumar gupta shah mehta reddy iyer nair rao
joshi chopra kapoor malhotra agarwal banerjee chatterjee mukherjee das khan ahmed ali hussain rahman hassan
haddad nasser mansour khalil saleh farah okafor okonkwo adeyemi balogun eze nwosu mensah boateng osei
owusu diallo traoré ndiaye mbeki dlamini nkosi müller schmidt schneider fischer weber meyer wagner becker
schulz hoffmann koch richter klein wolf schröder neumann schwarz zimmermann braun krüger hofmann hartmann
lange werner krause lehmann köhler martin bernard dubois durand lefebvre leroy moreau simon laurent michel
garcía fernández gonzález rodríguez lópez martínez sánchez pérez gómez díaz hernández ruiz jiménez moreno
álvarez romero navarro torres domínguez vázquez ramos gil serrano rossi russo ferrari esposito bianchi
romano colombo ricci marino greco bruno gallo conti de luca mancini costa giordano rizzo lombardi moretti
silva santos oliveira souza pereira costa rodrigues almeida nascimento lima araújo fernandes carvalho
gomes martins rocha ribeiro alves monteiro mendes barbosa nowak kowalski wiśniewski wójcik kowalczyk
kamiński lewandowski zieliński szymański woźniak dąbrowski kozłowski jankowski mazur kwiatkowski krawczyk
de jong jansen de vries van den berg van dijk bakker janssen visser smit meijer de boer mulder de groot
bos vos peters hendriks dekker novák svoboda novotný dvořák horváth nagy tóth szabó kovács popescu
ionescu popa stan dumitru yılmaz kaya demir şahin çelik yıldız yıldırım öztürk aydın özdemir arslan
ivanov smirnov kuznetsov popov sokolov petrov volkov kovalenko shevchenko bondarenko andersson johansson
karlsson nilsson eriksson larsson olsen hansen nielsen jensen pedersen andersen virtanen korhonen
murphy kelly o'brien o'sullivan walsh byrne ryan o'connor mcdonald macdonald campbell stewart robertson
papadopoulos georgiou nikolaidis cohen levi friedman goldberg rosenberg
cortes paredes robles rosales cervantes benavides valdes montes nieves olivares linares quiñones chaves
canales corrales perales valles mireles briones casares menezes gonçalves soares antunes henriques borges
neves simões guimarães magalhães moraes prates fontes peres hodges stokes forbes rhodes reeves coates yates
grimes sykes noakes oakes keyes
taylor shaw snyder hicks salazar alvarado perry tucker payne sandoval hopper
` as const;
